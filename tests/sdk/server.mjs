// Starts a real `hatbox serve` on a free loopback port with a temporary data folder, and points the
// official SDK at it through WORQHAT_BASE_URL and NODE_EXTRA_CA_CERTS, as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeCount, startCluster } from './cluster.mjs';

export { nodeCount };

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dll = process.env.HATBOX_DLL ?? join(repo, 'artifacts/bin/Hatbox/release/Hatbox.dll');

/** HATBOX_SDK_NODES=3: every server is three nodes on PostgreSQL, Redis and S3 behind one address (cluster.mjs). */
export const clustered = nodeCount === 3;
if (![1, 3].includes(nodeCount)) throw new Error(`HATBOX_SDK_NODES must be 1 or 3, not ${process.env.HATBOX_SDK_NODES}`);

/** SQL that differs between the tenant engines: SQLite on one node, PostgreSQL on three. */
export const dialect = clustered
  ? { id: 'bigserial PRIMARY KEY', autoId: 'bigserial PRIMARY KEY' }
  : { id: 'INTEGER PRIMARY KEY', autoId: 'INTEGER PRIMARY KEY AUTOINCREMENT' };

/**
 * `env` adds configuration (e.g. HATBOX__Plans__burst__RequestsPerMinute) for the server and its CLI.
 * `data` restarts on an existing data folder (e.g. after `kill()`).
 */
export async function startServer(env = {}, { data: existing } = {}) {
  if (clustered) return startCluster(dll, env, existing);
  const data = existing ?? mkdtempSync(join(tmpdir(), 'hatbox-sdk-'));
  const child = spawn('dotnet', [dll, 'serve', '--data', data, '--https-port', '0', '--http-port', '0', '--listen', '127.0.0.1', '--metrics-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  const baseURL = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (https:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    baseURL,
    data,
    certificate: join(data, 'tls', 'cert.pem'),
    /** Runs hatbox CLI commands on the same data folder, as an operator would. */
    admin(...args) {
      const result = spawnSync('dotnet', [dll, ...args, '--data', data], { encoding: 'utf8', env: { ...process.env, ...env } });
      if (result.status !== 0) throw new Error(`hatbox ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
      return result.stdout;
    },
    /** kill -9: no shutdown code runs and the data folder stays, as after a crash. */
    async kill() {
      child.kill('SIGKILL');
      await new Promise((done) => (child.exitCode !== null || child.signalCode !== null ? done() : child.on('exit', done)));
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((done) => (child.exitCode !== null ? done() : child.on('exit', done)));
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a script in a child Node process with the SDK's environment set, because NODE_EXTRA_CA_CERTS
 * is read only when Node starts.
 */
export function runWithSdk(server, apiKey, script) {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: dirname(fileURLToPath(import.meta.url)),
    env: {
      ...process.env,
      WORQHAT_BASE_URL: server.baseURL,
      WORQHAT_API_KEY: apiKey,
      NODE_EXTRA_CA_CERTS: server.certificate,
    },
  });
  if (result.status !== 0) throw new Error(`SDK script failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
