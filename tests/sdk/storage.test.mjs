import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, runWithSdk } from './server.mjs';

let server;
let boot;
let scratch;
before(async () => {
  server = await startServer();
  boot = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'sdk-storage@example.test', '--password', 'sdk test password',
    '--org', 'SDK Storage Org', '--workspace', 'sdk-storage', '--json'));
  scratch = mkdtempSync(join(tmpdir(), 'hatbox-sdk-files-'));
});
after(async () => {
  await server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('the SDK uploads a file, fetches it by id and by path, downloads it through the URL and deletes it', () => {
  const sent = Buffer.from('hello from the official SDK\n'.repeat(200));
  const answer = runWithSdk(server, boot.apiKey, `
    import Worqhat, { toFile } from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    const bytes = Buffer.from('hello from the official SDK\\n'.repeat(200));
    const uploaded = await client.storage.uploadFile({
      file: await toFile(bytes, 'hello.txt', { type: 'text/plain' }),
      path: 'sdk/docs/',
    });
    const byId = await client.storage.retrieveFileByID(uploaded.file.id);
    const byPath = await client.storage.retrieveFileByPath({ filepath: 'sdk/docs/hello.txt' });

    // The URL needs no key: a plain fetch, as a browser or another service would do.
    const download = await fetch(byPath.file.url);
    const downloaded = Buffer.from(await download.arrayBuffer());

    const deleted = await client.storage.deleteFileByID(uploaded.file.id);
    let afterDelete;
    try { await client.storage.retrieveFileByID(uploaded.file.id); } catch (e) { afterDelete = { status: e.status, code: e.error?.error?.code }; }
    const staleLink = await fetch(byPath.file.url);

    console.log(JSON.stringify({
      uploaded, byId, byPath, deleted, afterDelete,
      download: { status: download.status, disposition: download.headers.get('content-disposition'),
        nosniff: download.headers.get('x-content-type-options'), etag: download.headers.get('etag'),
        length: downloaded.length, same: downloaded.equals(bytes) },
      staleLink: { status: staleLink.status, code: (await staleLink.json()).error.code },
    }));
  `);

  const file = answer.uploaded.file;
  assert.equal(answer.uploaded.success, true);
  assert.match(file.id, /^file_/);
  assert.equal(file.filename, 'hello.txt');
  assert.equal(file.path, 'sdk/docs/hello.txt');
  assert.equal(file.size, sent.length);
  assert.equal(file.contentType, 'text/plain');
  assert.ok(Date.parse(file.uploadedAt) > Date.now() - 60_000);
  assert.ok(file.url.startsWith(`${server.baseURL}/storage/download/`), file.url);

  for (const fetched of [answer.byId, answer.byPath]) {
    assert.equal(fetched.success, true);
    assert.equal(fetched.file.id, file.id);
    assert.equal(fetched.file.path, 'sdk/docs/hello.txt');
    assert.equal(fetched.file.size, file.size);
    assert.equal(fetched.file.uploadedAt, file.uploadedAt);
  }

  assert.equal(answer.download.status, 200);
  assert.equal(answer.download.same, true);
  assert.match(answer.download.disposition, /^attachment; filename=/);
  assert.equal(answer.download.nosniff, 'nosniff');
  assert.equal(answer.download.etag, `"${createHash('sha256').update(sent).digest('hex')}"`);

  assert.equal(answer.deleted.success, true);
  assert.ok(Date.parse(answer.deleted.deletedAt) > Date.now() - 60_000);
  assert.deepEqual(answer.afterDelete, { status: 404, code: 'file_not_found' });
  assert.deepEqual(answer.staleLink, { status: 404, code: 'file_not_found' });
});

test('a file streamed from disk keeps its name, and a tampered link is refused', () => {
  const onDisk = join(scratch, 'report 2025.csv');
  writeFileSync(onDisk, 'month,total\njan,1\n');
  const answer = runWithSdk(server, boot.apiKey, `
    import Worqhat from 'worqhat';
    import { createReadStream } from 'node:fs';
    const client = new Worqhat({ maxRetries: 0 });
    const uploaded = await client.storage.uploadFile({ file: createReadStream(${JSON.stringify(onDisk)}) });
    const link = new URL(uploaded.file.url);
    const signature = link.searchParams.get('signature');
    link.searchParams.set('signature', (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1));
    const tampered = await fetch(link);
    console.log(JSON.stringify({ file: uploaded.file, tampered: { status: tampered.status, code: (await tampered.json()).error.code } }));
  `);

  assert.equal(answer.file.filename, 'report 2025.csv');
  assert.equal(answer.file.path, 'report 2025.csv');
  assert.equal(answer.file.contentType, 'text/csv');
  assert.deepEqual(answer.tampered, { status: 403, code: 'invalid_signature' });
});

test('a traversal path is refused with invalid_path through the SDK', () => {
  const answer = runWithSdk(server, boot.apiKey, `
    import Worqhat, { toFile } from 'worqhat';
    const client = new Worqhat({ maxRetries: 0 });
    try {
      await client.storage.uploadFile({ file: await toFile(Buffer.from('x'), 'x.txt'), path: '../../etc' });
      console.log(JSON.stringify({ status: 200 }));
    } catch (e) {
      console.log(JSON.stringify({ status: e.status, name: e.constructor.name, code: e.error?.error?.code }));
    }
  `);
  assert.deepEqual(answer, { status: 400, name: 'BadRequestError', code: 'invalid_path' });
});
