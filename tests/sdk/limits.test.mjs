import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runWithSdk } from './server.mjs';

// A plan of 60 requests per minute: a burst of 60, then one token a second, so Retry-After is 1 s.
const plan = { HATBOX__Plans__burst__RequestsPerMinute: '60', HATBOX__Plans__burst__RequestsPerMonth: '100000' };

let server;
let boot;
before(async () => {
  server = await startServer(plan);
  boot = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'limits@example.test', '--password', 'sdk test password',
    '--org', 'Limits Org', '--workspace', 'limits', '--plan', 'burst', '--json'));
});
after(async () => { await server?.stop(); });

test('the SDK retries a 429 after Retry-After and then succeeds', () => {
  const outcome = runWithSdk(server, boot.apiKey, `
    import Worqhat from 'worqhat';
    const impatient = new Worqhat({ maxRetries: 0 });
    let refused = null;
    for (let i = 0; i < 100 && !refused; i++) {
      try { await impatient.post('/authentication'); } catch (error) { refused = error; }
    }
    const patient = new Worqhat({ maxRetries: 3 });
    const started = Date.now();
    const { data, response } = await patient.post('/authentication').withResponse();
    console.log(JSON.stringify({
      refusedStatus: refused?.status, refusedCode: refused?.error?.error?.code, retryAfter: refused?.headers?.get('retry-after'),
      finalSuccess: data.success, waitedMs: Date.now() - started, remaining: response.headers.get('ratelimit-remaining'),
    }));
  `);
  assert.equal(outcome.refusedStatus, 429);
  assert.equal(outcome.refusedCode, 'rate_limited');
  assert.equal(outcome.retryAfter, '1');
  assert.equal(outcome.finalSuccess, true);
  assert.ok(outcome.waitedMs >= 500, `the SDK answered after ${outcome.waitedMs} ms, so it did not wait for a token`);
});

test('usage counts every request the SDK made, refused ones included', async () => {
  // The server writes its counts in batches; the CLI reads what is written. Poll to a deadline until the
  // refused calls are there too, rather than sleeping one flush interval that a busy machine may overrun.
  const deadline = Date.now() + 20_000;
  let usage, byStatus;
  for (;;) {
    usage = JSON.parse(server.admin('admin', 'usage', '--org', boot.organizationId, '--json'));
    byStatus = Object.fromEntries(usage.usage.byStatus.map((s) => [s.name, s.requests]));
    if ((byStatus['200'] >= 61 && byStatus['429'] >= 1) || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  assert.ok(byStatus['200'] >= 61);
  assert.ok(byStatus['429'] >= 1);
  assert.equal(usage.usage.requests, Object.values(byStatus).reduce((a, b) => a + b, 0));
  assert.equal(usage.statement.plan, 'burst');
  assert.equal(usage.statement.used, byStatus['200']);
});
