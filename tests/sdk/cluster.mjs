// HATBOX_SDK_NODES=3: the same suite against three `hatbox serve` nodes that share PostgreSQL (platform
// and tenants, from HATBOX_TEST_POSTGRES), the S3 stand-in (HATBOX_TEST_S3; both printed by
// scripts/services.sh start) and a redis-server started here, behind a round-robin TCP proxy.
// The proxy passes TLS through untouched and picks the next node for each connection, so the SDK's
// calls (each SDK script opens its own connections) land on every node; each node's access log
// shows what it served. The nodes share one local certificate authority, so one
// NODE_EXTRA_CA_CERTS trusts whichever node answers.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const nodeCount = Number(process.env.HATBOX_SDK_NODES ?? 1);
const psql = '/usr/lib/postgresql/15/bin/psql';
const redisServer = '/usr/bin/redis-server';

/** What a cluster keeps across kill() and a restart on the same data folder: its stores and folders. */
const clusters = new Map();

/** The Npgsql connection string of HATBOX_TEST_POSTGRES as key/value pairs. */
function postgres() {
  const text = process.env.HATBOX_TEST_POSTGRES;
  const s3 = process.env.HATBOX_TEST_S3;
  if (!text || !s3) {
    throw new Error('HATBOX_SDK_NODES=3 needs HATBOX_TEST_POSTGRES and HATBOX_TEST_S3: eval "$(scripts/services.sh start)" first (scripts/test.sh does).');
  }
  return Object.fromEntries(text.split(';').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return [pair.slice(0, at).trim(), pair.slice(at + 1)];
  }));
}

function sql(statement) {
  const pg = postgres();
  const result = spawnSync(psql, ['-q', '-h', pg.Host, '-p', pg.Port, '-U', pg.Username, '-d', 'postgres', '-c', statement], {
    encoding: 'utf8', env: { ...process.env, PGPASSWORD: pg.Password },
  });
  if (result.status !== 0) throw new Error(`psql ${statement}: ${result.stderr}`);
}

function connectionString(database) {
  const pg = postgres();
  return `Host=${pg.Host};Port=${pg.Port};Username=${pg.Username};Password=${pg.Password};Database=${database}`;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    }).on('error', reject);
  });
}

async function startRedis() {
  const port = await freePort();
  const child = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--daemonize', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'], { stdio: 'ignore', cwd: tmpdir() });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise((done) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.destroy(); done(true); });
      socket.on('error', () => done(false));
    });
    if (up) return { child, configuration: `127.0.0.1:${port}` };
    await new Promise((done) => setTimeout(done, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on 127.0.0.1:${port}`);
}

/** The stores and node folders of a new cluster, with one certificate authority copied into each folder. */
async function createCluster(dll, env) {
  const name = randomBytes(6).toString('hex');
  const cluster = {
    platform: `sdk_${name}`,
    tenants: `sdkt_${name}`,
    bucket: `sdk-${name}`,
    folders: [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'hatbox-sdk-node-'))),
    redis: await startRedis(),
    proxyPort: await freePort(),
  };
  sql(`CREATE DATABASE "${cluster.platform}"`);
  sql(`CREATE DATABASE "${cluster.tenants}"`);
  const made = spawnSync('dotnet', [dll, 'tls', 'trust', '--dry-run', '--skip-system', '--skip-browsers', '--data', cluster.folders[0]],
    { encoding: 'utf8', env: { ...process.env, ...env } });
  if (made.status !== 0) throw new Error(`hatbox tls trust --dry-run failed: ${made.stderr}${made.stdout}`);
  for (const folder of cluster.folders.slice(1)) {
    mkdirSync(join(folder, 'tls'), { recursive: true, mode: 0o700 });
    for (const file of ['cert.pem', 'ca-key.pem']) copyFileSync(join(cluster.folders[0], 'tls', file), join(folder, 'tls', file));
  }
  clusters.set(cluster.folders[0], cluster);
  return cluster;
}

/** The environment that puts a node (or the admin CLI) on the cluster's shared stores. */
function storeEnvironment(cluster) {
  return {
    HATBOX__Platform__Provider: 'postgres',
    HATBOX__Platform__ConnectionString: connectionString(cluster.platform),
    HATBOX__Tenants__Provider: 'postgres',
    HATBOX__Tenants__ConnectionString: connectionString(cluster.tenants),
    HATBOX__Redis__Configuration: cluster.redis.configuration,
    HATBOX__Storage__Provider: 's3',
    HATBOX__Storage__S3__ServiceUrl: process.env.HATBOX_TEST_S3,
    HATBOX__Storage__S3__Bucket: cluster.bucket,
    HATBOX__Storage__S3__AccessKey: 'S3RVER',
    HATBOX__Storage__S3__SecretKey: 'S3RVER',
    // Signed download links name the proxy, not the node that made them.
    HATBOX__Server__PublicBaseUrl: `https://127.0.0.1:${cluster.proxyPort}`,
  };
}

/** A node whose log goes to a file (a pipe would fill while the tests block in spawnSync). */
function startNode(dll, data, env) {
  const log = join(data, 'node.log');
  const child = spawn('dotnet', [dll, 'serve', '--data', data, '--https-port', '0', '--http-port', '0', '--listen', '127.0.0.1', '--metrics-port', '0'], {
    stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
    env: { ...process.env, ...env },
  });
  // A restart appends to the same log: only what this process wrote counts.
  const from = existsSync(log) ? statSync(log).size : 0;
  const output = () => readFileSync(log).subarray(from).toString('utf8');
  const address = (async () => {
    for (const started = Date.now(); Date.now() - started < 240_000;) {
      const match = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(output());
      if (match) return Number(match[1]);
      if (child.exitCode !== null) throw new Error(`node exited with ${child.exitCode}:\n${output()}`);
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`node did not start within 4 minutes:\n${output()}`);
  })();
  return { child, address, served: () => output().split('"Category":"Hatbox.AccessLog"').length - 1 };
}

/** The proxy (proxy.mjs), as a process of its own. */
async function startProxy(port, nodePorts) {
  const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'proxy.mjs'), String(port), ...nodePorts.map(String)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolveProxy, reject) => {
    child.stdout.once('data', resolveProxy);
    child.on('exit', (code) => reject(new Error(`the proxy exited with ${code}`)));
  });
  return child;
}

function stopChild(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return undefined;
  child.kill(signal);
  return new Promise((done) => child.on('exit', done));
}

/** Stops the cluster's Redis and deletes its databases and folders. */
async function dropCluster(cluster) {
  await stopChild(cluster.redis.child, 'SIGKILL');
  clusters.delete(cluster.folders[0]);
  sql(`DROP DATABASE IF EXISTS "${cluster.platform}" WITH (FORCE)`);
  sql(`DROP DATABASE IF EXISTS "${cluster.tenants}" WITH (FORCE)`);
  for (const folder of cluster.folders) rmSync(folder, { recursive: true, force: true });
}

/** startServer's three-node twin: the same object, whose `data` is node 1's folder. */
export async function startCluster(dll, env, existing) {
  const cluster = existing ? clusters.get(existing) : await createCluster(dll, env);
  if (!cluster) throw new Error(`no cluster was started on ${existing}`);
  const nodeEnv = { ...env, ...storeEnvironment(cluster) };
  // Started together, as a deployment does; they migrate once between them.
  const nodes = cluster.folders.map((folder) => startNode(dll, folder, nodeEnv));
  let ports;
  try {
    ports = await Promise.all(nodes.map((node) => node.address));
  } catch (error) {
    // A node that never came up: the others (and the stores) must not keep the test process alive.
    await Promise.all(nodes.map(({ child }) => stopChild(child, 'SIGKILL')));
    await dropCluster(cluster);
    throw error;
  }
  const proxy = await startProxy(cluster.proxyPort, ports);
  const killNodes = async (signal) => {
    await stopChild(proxy, 'SIGKILL');
    await Promise.all(nodes.map(({ child }) => stopChild(child, signal)));
  };
  return {
    baseURL: `https://127.0.0.1:${cluster.proxyPort}`,
    data: cluster.folders[0],
    certificate: join(cluster.folders[0], 'tls', 'cert.pem'),
    /** Requests each node has logged so far, node by node. */
    served: () => nodes.map((node) => node.served()),
    admin(...args) {
      const result = spawnSync('dotnet', [dll, ...args, '--data', cluster.folders[0]], { encoding: 'utf8', env: { ...process.env, ...nodeEnv } });
      if (result.status !== 0) throw new Error(`hatbox ${args.join(' ')} failed: ${result.stderr}${result.stdout}`);
      return result.stdout;
    },
    /** kill -9 of every node; the stores keep what was acknowledged, for a restart on `data`. */
    kill: () => killNodes('SIGKILL'),
    async stop() {
      await killNodes('SIGTERM');
      await dropCluster(cluster);
    },
  };
}
