import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runWithSdk } from './server.mjs';

let server;
let boot;
before(async () => {
  server = await startServer();
  // The operator's way in: hatbox admin bootstrap on the running server's data folder.
  boot = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'sdk@example.test', '--password', 'sdk test password',
    '--org', 'SDK Org', '--workspace', 'sdk-tests', '--json'));
});
after(async () => { await server?.stop(); });

const callAuthentication = `
  import Worqhat from 'worqhat';
  const client = new Worqhat({ maxRetries: 0 });
  try {
    console.log(JSON.stringify(await client.post('/authentication')));
  } catch (error) {
    console.log(JSON.stringify({ status: error.status, name: error.constructor.name, error: error.error }));
  }
`;

test('a bootstrapped key authenticates through the official SDK', () => {
  const answer = runWithSdk(server, boot.apiKey, callAuthentication);
  assert.equal(answer.success, true);
  assert.equal(answer.organizationId, boot.organizationId);
  assert.equal(answer.orgKey, boot.orgKey);
  assert.equal(answer.workspace, 'sdk-tests');
  assert.equal(answer.workspaceId, boot.workspaceId);
  assert.equal(answer.keyId, boot.keyId);
  assert.equal(answer.role, 'admin');
});

test('a key revoked with the admin CLI fails in the SDK as an AuthenticationError', async () => {
  const created = JSON.parse(server.admin('admin', 'keys', 'create', '--workspace', 'sdk-tests', '--name', 'to revoke', '--json'));
  assert.equal(runWithSdk(server, created.apiKey, callAuthentication).success, true);

  server.admin('admin', 'keys', 'revoke', '--workspace', 'sdk-tests', created.keyId);
  // The CLI is another process: the server learns of the revocation from the database, so poll to a
  // deadline instead of sleeping a fixed second that a busy machine may overrun.
  const deadline = Date.now() + 15_000;
  let refused = runWithSdk(server, created.apiKey, callAuthentication);
  while (refused.success === true && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    refused = runWithSdk(server, created.apiKey, callAuthentication);
  }

  assert.equal(refused.status, 401);
  assert.equal(refused.name, 'AuthenticationError');
  assert.equal(refused.error.error.code, 'api_key_revoked');
});

test('an invented key is refused', () => {
  const refused = runWithSdk(server, 'wh_live_000000000000000000000000000000_000000', callAuthentication);
  assert.equal(refused.status, 401);
  assert.equal(refused.error.error.code, 'invalid_api_key');
});

test('keys list never shows a secret', () => {
  const keys = JSON.parse(server.admin('admin', 'keys', 'list', '--workspace', 'sdk-tests', '--json'));
  assert.ok(keys.length >= 1);
  for (const key of keys) {
    assert.equal(key.apiKey, undefined);
    assert.match(key.hint, /^wh_live_….{4}$/);
    assert.ok(!JSON.stringify(key).includes(boot.apiKey));
  }
});
