import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runWithSdk } from './server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('getServerInfo() through the official SDK over HTTPS', () => {
  const info = runWithSdk(server, 'not-needed-for-this-call', `
    import Worqhat from 'worqhat';
    const client = new Worqhat();
    console.log(JSON.stringify(await client.getServerInfo()));
  `);
  assert.equal(info.name, 'Hatbox');
  assert.equal(info.version, '2025-10-28');
  assert.equal(info.environment, 'production');
});

test('health.check() through the official SDK over HTTPS', () => {
  const health = runWithSdk(server, 'not-needed-for-this-call', `
    import Worqhat from 'worqhat';
    const client = new Worqhat();
    console.log(JSON.stringify(await client.health.check()));
  `);
  assert.equal(health.status, 'ok');
  assert.equal(typeof health.uptime, 'number');
  assert.equal(health.services.database, 'ok');
  assert.ok(Date.parse(health.timestamp) > Date.now() - 60_000);
});

test('the SDK refuses a server whose certificate it was not told to trust', () => {
  // The script reports what it caught, so the test tells a TLS refusal from any other failure.
  const caught = runWithSdk({ ...server, certificate: '/dev/null' }, 'x', `
    import Worqhat from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    try {
      await client.health.check();
      console.log(JSON.stringify({ name: 'none' }));
    } catch (error) {
      let cause = error.cause;
      while (cause?.cause && !cause.code) cause = cause.cause;
      console.log(JSON.stringify({ name: error.constructor.name, code: cause?.code ?? null }));
    }
  `);
  assert.equal(caught.name, 'APIConnectionError');
  assert.match(caught.code, /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)$/);
});
