// Flow engine figures on the embedded store: start-up of `hatbox serve`, the durable overhead per
// step of a 40-step script flow (run time / 40, from the run's own record), and three-step runs per
// second under 16 concurrent triggers. The same 40 scripts called in a loop in one process
// (bench/Hatbox.Benchmarks flow-scripts: bare Jint, and the flow engine's sandbox) are measured while
// the server idles, so the overhead per step is the durable run's time per step minus bare Jint's.
// Usage: node bench/flows.mjs [seconds=10]
// Needs Release builds (dotnet build src/Hatbox -c Release; dotnet build bench/Hatbox.Benchmarks -c Release).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../tests/sdk/server.mjs';

const seconds = Number(process.argv[2] ?? 10);
// Loopback only, our own self-signed certificate; set before the first request.
process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
const started = performance.now();
// The free plan's 60 requests a minute would measure the rate limiter, not the engine.
const server = await startServer({ HATBOX__Plans__free__RequestsPerMinute: '1000000', HATBOX__Plans__free__RequestsPerMonth: '100000000' });
const startupMs = performance.now() - started;

const boot = JSON.parse(server.admin('admin', 'bootstrap', '--email', 'bench@example.test', '--password', 'bench password 123',
  '--org', 'Bench', '--workspace', 'bench', '--json'));
const save = (name, document) => {
  const file = join(server.data, `${name}.json`);
  writeFileSync(file, JSON.stringify(document));
  return JSON.parse(server.admin('admin', 'flows', 'create', '--workspace', 'bench', '--file', file, '--json')).flowId;
};
const steps = (n) => Array.from({ length: n }, (_, i) => ({ id: `s${i}`, uses: 'script', with: { code: `return ${i};` } }));
const forty = save('forty', { name: 'forty', steps: steps(40) });
const three = save('three', { name: 'three', steps: steps(3) });
const trigger = async (flowId) => {
  const response = await fetch(`${server.baseURL}/flows/trigger/${flowId}`, {
    method: 'POST', headers: { authorization: boot.apiKey, 'content-type': 'application/json' }, body: '{}',
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`${response.status} ${JSON.stringify(body)}`);
  return body;
};
const runMs = async (id) => {
  const response = await fetch(`${server.baseURL}/flows/runs/${id}`, { headers: { authorization: boot.apiKey } });
  return (await response.json()).durationMs;
};
try {
  for (let i = 0; i < 20; i++) await trigger(forty); // warm-up
  const perStep = [];
  for (let i = 0; i < 20; i++) perStep.push((await runMs((await trigger(forty)).analytics_id)) / 40);
  perStep.sort((a, b) => a - b);
  const loop = spawnSync('dotnet', [new URL('../artifacts/bin/Hatbox.Benchmarks/release/Hatbox.Benchmarks.dll', import.meta.url).pathname, 'flow-scripts', '100'],
    { encoding: 'utf8' });
  if (loop.status !== 0) throw new Error(`flow-scripts failed: ${loop.stderr}`);
  const inProcess = JSON.parse(loop.stdout.trim().split('\n').pop());
  for (let i = 0; i < 200; i++) await trigger(three);
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (performance.now() < until) { await trigger(three); done++; }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({
    serveStartupMs: Math.round(startupMs),
    fortyStepRunPerStepMsMedian: +perStep[10].toFixed(3),
    fortyStepRunPerStepMsBest: +perStep[0].toFixed(3),
    loopBareJintPerScriptMs: inProcess.bareJintPerScriptMsMedian,
    loopSandboxPerScriptMs: inProcess.sandboxPerScriptMsMedian,
    overheadPerStepMsMedian: +(perStep[10] - inProcess.bareJintPerScriptMsMedian).toFixed(3),
    threeStepRunsPerSecond16Concurrent: +(done / elapsed).toFixed(1),
  }));
} finally {
  await server.stop();
}
