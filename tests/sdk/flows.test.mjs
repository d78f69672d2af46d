import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, runWithSdk, dialect } from './server.mjs';

let server;
let boot;
let payloadFlow;
let fileFlow;
before(async () => {
  server = await startServer();
  boot = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'sdk-flows@example.test', '--password', 'sdk test password',
    '--org', 'SDK Flows Org', '--workspace', 'sdk-flows', '--json'));
  const save = (name, document) => {
    const file = join(server.data, `${name}.json`);
    writeFileSync(file, JSON.stringify(document));
    return JSON.parse(server.admin('admin', 'flows', 'create', '--workspace', 'sdk-flows', '--file', file, '--json')).flowId;
  };
  payloadFlow = save('payload', {
    name: 'Welcome',
    steps: [
      { id: 'make', uses: 'db.query', with: { query: `CREATE TABLE IF NOT EXISTS customers (id ${dialect.id}, name TEXT)` } },
      { id: 'add', uses: 'db.insert', with: { table: 'customers', data: { name: '${{ input.data.name }}' } } },
      { id: 'greeting', uses: 'script', with: { code: "return 'Hello ' + steps.add.output.data.name;" } },
    ],
    output: { greeting: '${{ steps.greeting.output }}', id: '${{ steps.add.output.data.id }}' },
  });
  fileFlow = save('file', {
    name: 'Count lines',
    steps: [{ id: 'rows', uses: 'file.read', with: { as: 'csv' } }],
    output: { rows: '${{ steps.rows.output.length }}', file: '${{ input.file.name }}', tag: '${{ input.tag }}' },
  });
});
after(async () => {
  await server?.stop();
});

test('the SDK triggers a flow with a payload and gets its output as data', () => {
  const answer = runWithSdk(server, boot.apiKey, `
    import Worqhat from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    const result = await client.flows.triggerWithPayload(${JSON.stringify(payloadFlow)}, { data: { name: 'Ada' } });
    console.log(JSON.stringify(result));
  `);
  assert.equal(answer.success, true);
  assert.equal(answer.data.greeting, 'Hello Ada');
  assert.equal(answer.data.id, 1);
  assert.match(answer.analytics_id, /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(answer.timestamp)));
});

test('the SDK triggers a flow with a file, which the flow reads as CSV', () => {
  const answer = runWithSdk(server, boot.apiKey, `
    import Worqhat, { toFile } from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    const file = await toFile(Buffer.from('name,qty\\nbolt,3\\nnut,5\\n'), 'parts.csv', { type: 'text/csv' });
    const result = await client.flows.triggerWithFile(${JSON.stringify(fileFlow)}, { file, tag: 'inventory' });
    console.log(JSON.stringify(result));
  `);
  assert.equal(answer.success, true);
  assert.deepEqual(answer.data, { rows: 2, file: 'parts.csv', tag: 'inventory' });
});

test('an unknown flow is a 404 flow_not_found for the SDK', () => {
  const answer = runWithSdk(server, boot.apiKey, `
    import Worqhat from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    try {
      await client.flows.triggerWithPayload('f825ab82-371f-40cb-9bed-b325531ead4a', { data: {} });
      console.log(JSON.stringify({ thrown: false }));
    } catch (error) {
      console.log(JSON.stringify({ thrown: true, status: error.status, code: error.error?.error?.code }));
    }
  `);
  assert.deepEqual(answer, { thrown: true, status: 404, code: 'flow_not_found' });
});

test('the SDK reads run metrics with filters', () => {
  const answer = runWithSdk(server, boot.apiKey, `
    import Worqhat from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    const all = await client.flows.getMetrics();
    const completed = await client.flows.getMetrics({ status: 'completed', user_id: ${JSON.stringify(boot.userId)}, start_date: new Date().toISOString().slice(0, 10) });
    const failed = await client.flows.getMetrics({ status: 'failed' });
    console.log(JSON.stringify({ all, completed, failed }));
  `);
  assert.equal(answer.all.metrics.total_workflows, 2);
  assert.equal(answer.completed.metrics.completed_workflows, 2);
  assert.equal(answer.completed.metrics.metrics_by_user[boot.userId].completed, 2);
  assert.equal(answer.failed.metrics.total_workflows, 0);
  assert.equal(answer.all.workflows.length, 2);
  for (const run of answer.all.workflows) {
    assert.equal(run.org_id, boot.organizationId);
    assert.equal(run.status, 'completed');
    assert.ok([payloadFlow, fileFlow].includes(run.workflow_id));
  }
});
