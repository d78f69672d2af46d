import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, runWithSdk, dialect, clustered } from './server.mjs';

// The db tests make many calls; a plan whose limits never get in the way.
const plan = { HATBOX__Plans__sdkdb__RequestsPerMinute: '1000000', HATBOX__Plans__sdkdb__RequestsPerMonth: '100000000' };

let server;
let boot;
before(async () => {
  server = await startServer(plan);
  boot = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'db@example.test', '--password', 'sdk test password',
    '--org', 'DB Org', '--workspace', 'db-tests', '--plan', 'sdkdb', '--json'));
});
after(async () => { await server?.stop(); });

/** Runs `body` with `client` (no retries) in the SDK's process; `body` returns what the test asserts on. */
function sdk(body, target = server, apiKey = boot.apiKey) {
  return runWithSdk(target, apiKey, `
    import Worqhat from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    const failure = (error) => ({ status: error.status, name: error.constructor.name, code: error.error?.error?.code });
    const result = await (async () => { ${body} })();
    console.log(JSON.stringify(result));
  `);
}

test('client.db runs the whole record lifecycle with the SDK\'s fields', () => {
  const answer = sdk(`
    const created = await client.db.executeQuery({ query: 'CREATE TABLE users (id ${dialect.id}, name TEXT NOT NULL, status TEXT DEFAULT \\'new\\')' });
    const inserted = await client.db.insertRecord({ table: 'users', data: { name: 'Ada' } });
    await client.db.insertRecord({ table: 'users', data: { name: 'Bob' } });
    const named = await client.db.executeQuery({ query: 'SELECT name FROM users WHERE name = {name}', params: { name: 'Ada' } });
    const positional = await client.db.executeQuery({ query: 'SELECT count(*) AS n FROM users WHERE id >= $1', params: [1] });
    const updated = await client.db.updateRecords({ table: 'users', data: { status: 'active' }, where: { name: 'Bob' } });
    const deleted = await client.db.deleteRecords({ table: 'users', where: { name: 'Ada' } });
    const left = await client.db.executeQuery({ query: 'SELECT name, status FROM users' });
    return { created, inserted, named, positional, updated, deleted, left };
  `);
  assert.equal(answer.created.success, true);
  assert.deepEqual(answer.created.data, []);
  assert.deepEqual(answer.inserted.data, { id: 1, name: 'Ada', status: 'new' });
  assert.deepEqual(answer.named.data, [{ name: 'Ada' }]);
  assert.equal(answer.named.query, 'SELECT name FROM users WHERE name = {name}');
  assert.equal(typeof answer.named.executionTime, 'number');
  assert.deepEqual(answer.positional.data, [{ n: 2 }]);
  assert.equal(answer.updated.count, 1);
  assert.deepEqual(answer.updated.data, [{ id: 2, name: 'Bob', status: 'active' }]);
  assert.equal(answer.deleted.count, 1);
  assert.deepEqual(answer.deleted.data, [{ id: 1, name: 'Ada', status: 'new' }]);
  assert.deepEqual(answer.left.data, [{ name: 'Bob', status: 'active' }]);
});

test('client.db.tables lists, counts and describes tables, per environment', () => {
  const answer = sdk(`
    await client.db.executeQuery({ query: 'CREATE TABLE events (id ${dialect.autoId}, kind TEXT NOT NULL, at TEXT DEFAULT CURRENT_TIMESTAMP)', environment: 'staging' });
    await client.db.insertRecord({ table: 'events', data: { kind: 'signup' }, environment: 'staging' });
    const list = await client.db.tables.list({ environment: 'staging' });
    const count = await client.db.tables.getRowCount('events', { environment: 'staging' });
    const schema = await client.db.tables.retrieveSchema('events', { environment: 'staging' });
    const production = await client.db.tables.getRowCount('events').catch(failure);
    return { list, count, schema, production };
  `);
  assert.deepEqual(answer.list.tables, [{ name: 'events', schema: 'public', type: 'table' }]);
  assert.equal(answer.list.count, 1);
  assert.deepEqual(answer.count, { success: true, table: 'events', count: 1 });
  assert.equal(answer.schema.table, 'events');
  // Types and defaults are each engine's own (docs/scale-out.md): SQLite's on one node, PostgreSQL's on three.
  assert.deepEqual(answer.schema.columns.map((c) => [c.name, c.type, c.nullable, c.isPrimaryKey]), clustered
    ? [['id', 'bigint', false, true], ['kind', 'text', false, false], ['at', 'text', true, false]]
    : [['id', 'INTEGER', true, true], ['kind', 'TEXT', false, false], ['at', 'TEXT', true, false]]);
  assert.match(answer.schema.columns[2].default, clustered ? /CURRENT_TIMESTAMP|now\(\)/i : /^CURRENT_TIMESTAMP$/);
  assert.deepEqual(answer.production, { status: 404, name: 'NotFoundError', code: 'table_not_found' });
});

test('refusals reach the SDK as typed errors with their codes, and hopeless ones are not retried', () => {
  const answer = runWithSdk(server, boot.apiKey, `
    import Worqhat from 'worqhat';
    let calls = 0;
    const counting = (url, init) => { calls++; return fetch(url, init); };
    const client = new Worqhat({ maxRetries: 2, fetch: counting });
    const failure = async (promise) => {
      const before = calls;
      try { await promise; return 'succeeded'; }
      catch (error) { return { status: error.status, name: error.constructor.name, code: error.error?.error?.code, calls: calls - before }; }
    };
    await client.db.executeQuery({ query: 'CREATE TABLE refusals (id ${dialect.id}, email TEXT UNIQUE)' });
    await client.db.insertRecord({ table: 'refusals', data: { email: 'a@example.test' } });
    console.log(JSON.stringify({
      second: await failure(client.db.executeQuery({ query: 'SELECT 1; DELETE FROM refusals WHERE id > 0' })),
      drop: await failure(client.db.executeQuery({ query: 'DROP TABLE refusals' })),
      pragma: await failure(client.db.executeQuery({ query: 'PRAGMA journal_mode = OFF' })),
      unbounded: await failure(client.db.executeQuery({ query: 'DELETE FROM refusals' })),
      bulk: await failure(client.db.insertRecord({ table: 'refusals', data: [{ email: 'b' }, { email: 'c' }] })),
      batch: await failure(client.db.executeBatch({ operations: [{ type: 'query', query: 'SELECT 1' }] })),
      column: await failure(client.db.insertRecord({ table: 'refusals', data: { shoe: 42 } })),
      duplicate: await failure(client.db.insertRecord({ table: 'refusals', data: { email: 'a@example.test' } })),
      environment: await failure(client.db.executeQuery({ query: 'SELECT 1', environment: 'qa' })),
      ai: await failure(client.db.processNlQuery({ question: 'What will the weather be tomorrow?' })),
      rows: (await client.db.tables.getRowCount('refusals')).count,
    }));
  `);
  assert.deepEqual(answer.second, { status: 400, name: 'BadRequestError', code: 'query_not_allowed', calls: 1 });
  assert.equal(answer.drop.code, 'query_not_allowed');
  // PRAGMA is no PostgreSQL command: the server's syntax error there.
  assert.equal(answer.pragma.code, clustered ? 'sql_error' : 'query_not_allowed');
  assert.equal(answer.unbounded.code, 'query_not_allowed');
  assert.deepEqual(answer.bulk, { status: 400, name: 'BadRequestError', code: 'bulk_not_supported', calls: 1 });
  assert.equal(answer.batch.code, 'bulk_not_supported');
  assert.equal(answer.column.code, 'column_not_found');
  assert.deepEqual(answer.duplicate, { status: 409, name: 'ConflictError', code: 'constraint_violation', calls: 1 });
  assert.equal(answer.environment.code, 'parameter_invalid');
  assert.deepEqual(answer.ai, { status: 422, name: 'UnprocessableEntityError', code: 'question_not_understood', calls: 1 });
  assert.equal(answer.rows, 1);
});

/** Like runWithSdk, but running in the background while the test kills the server. */
function startSdk(target, apiKey, script) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dirname(fileURLToPath(import.meta.url)),
    env: { ...process.env, WORQHAT_BASE_URL: target.baseURL, WORQHAT_API_KEY: apiKey, NODE_EXTRA_CA_CERTS: target.certificate },
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  const done = new Promise((resolve) => child.on('exit', () => resolve(output)));
  return { done, lines: () => output.split('\n').filter(Boolean) };
}

test('every insert the SDK saw answered survives kill -9 of the server', async () => {
  const crashing = await startServer(plan);
  let killed = false;
  let restarted;
  try {
    const key = JSON.parse(crashing.admin('admin', 'bootstrap', '--email', 'crash@example.test', '--password', 'sdk test password',
      '--org', 'Crash Org', '--workspace', 'crash', '--plan', 'sdkdb', '--json')).apiKey;
    sdk(`await client.db.executeQuery({ query: 'CREATE TABLE acked (id ${dialect.id})' }); return true;`, crashing, key);

    // One insert after another, each id printed only once the server has answered it.
    const writer = startSdk(crashing, key, `
      import Worqhat from 'worqhat';
      const client = new Worqhat({ maxRetries: 0, timeout: 5000 });
      for (let id = 1; id < 100000; id++) {
        try { await client.db.insertRecord({ table: 'acked', data: { id } }); } catch { break; }
        console.log(id);
      }
    `);
    while (writer.lines().length < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await crashing.kill();
    killed = true;
    const acknowledged = (await writer.done).split('\n').filter(Boolean).map(Number);

    restarted = await startServer(plan, { data: crashing.data });
    const stored = sdk(`return (await client.db.executeQuery({ query: 'SELECT id FROM acked ORDER BY id' })).data.map((r) => r.id);`, restarted, key);
    const missing = acknowledged.filter((id) => !stored.includes(id));
    assert.ok(acknowledged.length >= 20);
    assert.deepEqual(missing, [], `acknowledged but lost after kill -9: ${missing}`);
    // At most the one insert in flight when the server died may be there without an answer.
    assert.ok(stored.length <= acknowledged.length + 1);
  } finally {
    if (restarted) await restarted.stop();
    else if (killed) rmSync(crashing.data, { recursive: true, force: true });
    else await crashing.stop();
  }
});
