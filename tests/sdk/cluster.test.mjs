// HATBOX_SDK_NODES=3 only: the proxy really spreads the SDK's calls over the three nodes, and what one
// node wrote is read through the others (the rest of the suite runs unchanged on the cluster).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runWithSdk, clustered, dialect } from './server.mjs';

const skip = clustered ? false : 'runs with HATBOX_SDK_NODES=3 (scripts/test.sh, PostgreSQL + S3 part)';
let server;
let key;
before(async () => {
  if (!clustered) return;
  server = await startServer();
  key = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'cluster@example.test', '--password', 'sdk test password',
    '--org', 'Cluster Org', '--workspace', 'sdk-cluster', '--json')).apiKey;
});
after(async () => { await server?.stop(); });

test('each SDK process lands on the next node, and every node serves what the others wrote', { skip }, async () => {
  runWithSdk(server, key, `
    import Worqhat from 'worqhat';
    await new Worqhat().db.executeQuery({ query: 'CREATE TABLE visits (id ${dialect.id}, n INTEGER)' });
    console.log('true');
  `);
  // One SDK process per call: a new connection each, so three in a row reach three different nodes.
  const seen = [];
  for (let n = 1; n <= 6; n++) {
    seen.push(runWithSdk(server, key, `
      import Worqhat from 'worqhat';
      const client = new Worqhat();
      await client.db.insertRecord({ table: 'visits', data: { n: ${n} } });
      const rows = await client.db.executeQuery({ query: 'SELECT n FROM visits ORDER BY n' });
      console.log(JSON.stringify(rows.data.map((row) => row.n)));
    `));
  }
  seen.forEach((rows, i) => assert.deepEqual(rows, Array.from({ length: i + 1 }, (_, j) => j + 1)));

  // Each node's own access log: all three answered requests (logs are written within a moment).
  let served = server.served();
  for (let i = 0; i < 50 && served.some((count) => count === 0); i++) {
    await new Promise((done) => setTimeout(done, 100));
    served = server.served();
  }
  assert.equal(served.length, 3);
  assert.ok(served.every((count) => count >= 2), `requests per node: ${served}`);
});
