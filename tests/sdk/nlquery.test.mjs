import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runWithSdk, dialect } from './server.mjs';

// client.db.processNlQuery end to end, offline: the built-in engine, no chat model configured.
const plan = { HATBOX__Plans__sdknl__RequestsPerMinute: '1000000', HATBOX__Plans__sdknl__RequestsPerMonth: '100000000' };

let server;
let boot;
before(async () => {
  server = await startServer(plan);
  boot = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'nl@example.test', '--password', 'sdk test password',
    '--org', 'NL Org', '--workspace', 'nl-tests', '--plan', 'sdknl', '--json'));
});
after(async () => { await server?.stop(); });

function sdk(body) {
  return runWithSdk(server, boot.apiKey, `
    import Worqhat from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    const failure = (error) => ({ status: error.status, name: error.constructor.name, code: error.error?.error?.code });
    const result = await (async () => { ${body} })();
    console.log(JSON.stringify(result));
  `);
}

test('client.db.processNlQuery answers everyday questions offline with data, sql and message', () => {
  const answer = sdk(`
    await client.db.executeQuery({ query: 'CREATE TABLE products (id ${dialect.id}, name TEXT, category TEXT, price REAL)' });
    for (const [name, category, price] of [['Kettle', 'kitchen', 25], ['Toaster', 'kitchen', 40], ['Stapler', 'office', 8]]) {
      await client.db.insertRecord({ table: 'products', data: { name, category, price } });
    }
    const count = await client.db.processNlQuery({ question: 'How many kitchen products are there?' });
    const top = await client.db.processNlQuery({ question: 'top 2 products by price', context: { table: 'products' } });
    const average = await client.db.processNlQuery({ question: 'average price per category', environment: 'production' });
    return { count, top, average };
  `);
  assert.equal(answer.count.success, true);
  assert.deepEqual(answer.count.data, [{ count: 2 }]);
  assert.match(answer.count.sql, /^SELECT count\(\*\) AS "count" FROM "products" WHERE "category" = \$1$/);
  assert.deepEqual(answer.count.params, ['kitchen']);
  assert.equal(typeof answer.count.message, 'string');
  assert.deepEqual(answer.top.data.map((row) => row.name), ['Toaster', 'Kettle']);
  assert.deepEqual(answer.average.data, [{ category: 'kitchen', average_price: 32.5 }, { category: 'office', average_price: 8 }]);
});

test('client.db.processNlQuery refusals arrive as the SDK\'s errors, without retries', () => {
  const answer = sdk(`
    let calls = 0;
    const counting = (url, init) => { calls++; return fetch(url, init); };
    const counted = new Worqhat({ maxRetries: 2, fetch: counting });
    const refused = await counted.db.processNlQuery({ question: 'What will the weather be tomorrow?' }).catch(failure);
    return {
      refused: { ...refused, calls },
      empty: await client.db.processNlQuery({ question: '' }).catch(failure),
      table: await client.db.processNlQuery({ question: 'count rows', context: { table: 'nope' } }).catch(failure),
    };
  `);
  assert.deepEqual(answer.refused, { status: 422, name: 'UnprocessableEntityError', code: 'question_not_understood', calls: 1 });
  assert.deepEqual(answer.empty, { status: 400, name: 'BadRequestError', code: 'parameter_missing' });
  assert.deepEqual(answer.table, { status: 404, name: 'NotFoundError', code: 'table_not_found' });
});
