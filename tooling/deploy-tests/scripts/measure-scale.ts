// The figures of docs/deploy.md, measured on this machine: RSS of an arbiter and of a worker (the
// example app and an Express app), requests per second of one worker on hello world (autocannon),
// and what a worker's connections cost (worker_connections, RSS per idle keep-alive connection).
// Loopback only, bounded in time; every gu is stopped by pid. Run: pnpm --filter @gu/deploy-tests measure (node runs the TypeScript as it is)
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanUp, httpGet, startGu, until } from '@gu/testkit';

const root = join(import.meta.dirname, '../../..');
const exampleDir = join(root, 'apps/example');
const fixtureDir = join(import.meta.dirname, '../test/fixtures/app');
const autocannon = join(root, 'apps/bench/node_modules/autocannon/autocannon.js');

const rssMiB = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
/** Private (unshared) memory: what one more such process adds; RSS also counts node's shared pages. */
function privateMiB(pid: number): number {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
  return (kb('Private_Clean') + kb('Private_Dirty')) / 1024;
}
const fmt = (n: number): string => n.toFixed(1);

/** RSS of the arbiter and its workers after `warm` requests, settled. */
async function footprint(label: string, cwd: string, app: string, workers = 2, warm = 200): Promise<void> {
  const gu = await startGu([app, '-w', String(workers), '-b', '127.0.0.1:0'], { cwd, workers });
  for (let i = 0; i < warm; i++) await httpGet(gu.url);
  await sleep(1000);
  const worker = (pid: number): string => `${fmt(rssMiB(pid))} (private ${fmt(privateMiB(pid))})`;
  console.log(`${label}: RSS MiB arbiter ${worker(gu.pid)}, workers ${gu.workerPids.map(worker).join(' / ')} (after ${warm} requests)`);
  gu.signal('SIGTERM');
  await gu.exited;
}

/** autocannon against one worker: req/s average and p99 latency. */
interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}

async function throughput(connections: number, seconds: number): Promise<void> {
  const gu = await startGu(['app.js', '-w', '1', '-b', '127.0.0.1:0'], { cwd: exampleDir });
  spawnSync(process.execPath, [autocannon, '-c', String(connections), '-d', '2', gu.url], { stdio: 'ignore' });
  const run = spawnSync(process.execPath, [autocannon, '-j', '-c', String(connections), '-d', String(seconds), gu.url], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const result = JSON.parse(run.stdout) as AutocannonResult;
  console.log(`one worker, hello world, ${connections} connections, ${seconds} s: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, errors ${result.errors}, non-2xx ${result.non2xx}`);
  gu.signal('SIGTERM');
  await gu.exited;
}

/** Opens `count` keep-alive connections that each complete one request and stay open. */
function idleConnections(url: string, count: number): { sockets: net.Socket[]; answered: () => number } {
  const { hostname, port } = new URL(url);
  const sockets: net.Socket[] = [];
  let answered = 0;
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.on('data', () => (answered += 1)).on('error', () => undefined);
    socket.write('GET / HTTP/1.1\r\nHost: m\r\n\r\n');
    sockets.push(socket);
  }
  return { sockets, answered: () => answered };
}

/** worker_connections caps what one worker holds; and what an idle keep-alive connection costs it. */
async function connections(limit: number, opened: number): Promise<void> {
  const gu = await startGu(['app.js', '-w', '1', '-b', '127.0.0.1:0', '--worker-connections', String(limit), '--keep-alive', '60'], { cwd: exampleDir });
  const worker = gu.workerPids[0] ?? 0;
  for (let i = 0; i < 50; i++) await httpGet(gu.url);
  await sleep(500);
  const before = rssMiB(worker);
  const { sockets, answered } = idleConnections(gu.url, opened);
  await until(() => answered() >= Math.min(limit, opened), `${String(Math.min(limit, opened))} answers`, 20_000).catch(() => undefined);
  await sleep(1500);
  const after = rssMiB(worker);
  console.log(`--worker-connections ${limit}, ${opened} keep-alive connections opened: ${answered()} answered within 1.5 s; worker RSS ${fmt(before)} -> ${fmt(after)} MiB (${fmt(((after - before) * 1024) / Math.min(limit, opened))} KiB per held connection)`);
  for (const socket of sockets) socket.destroy();
  gu.signal('SIGTERM');
  await gu.exited;
}

console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), shared with other sessions; ${fmt(os.totalmem() / 2 ** 30)} GiB; node ${process.version}; load average ${os.loadavg().map(fmt).join(' ')}; ${new Date().toISOString().slice(0, 10)}`);
try {
  await footprint('example app (node:http listener), 2 workers', exampleDir, 'app.js');
  await footprint('Express 5 hello world, 2 workers', fixtureDir, 'express-app.js');
  await throughput(50, 10);
  await connections(100, 150);
  await connections(1000, 1000);
} finally {
  await cleanUp();
}
