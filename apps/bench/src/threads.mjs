// The threads worker (@gu/worker-threads) measured: a CPU-bound handler with 2 threads against 1
// (and against 2 sync worker processes), the per-request dispatch overhead of a thread against the
// async worker on hello world, and the memory of each added thread. Rounds alternate the order of
// the servers; figures are medians of per-round ratios. Usage: node src/threads.mjs [rounds] [seconds]
import { readFileSync } from 'node:fs';
import { loadServer } from './server-run.mjs';
import { spawnGuWith } from './servers.mjs';
import { median } from './stats.mjs';

const rounds = Number(process.argv[2] ?? 6);
const seconds = Number(process.argv[3] ?? 3);
const signal = new AbortController().signal;

async function started(label, app, flags, workers = Number(flags[flags.indexOf('-w') + 1])) {
  const server = spawnGuWith(label, app, flags, workers);
  await server.untilReady();
  return server;
}

function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

async function compare(name, connections, app, contenders) {
  const servers = [];
  try {
    for (const [label, flags] of contenders) servers.push(await started(label, app, flags));
    for (const server of servers) await loadServer(server, { seconds: 1, connections, signal });
    const perRound = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      const results = new Map();
      for (const server of order) results.set(server.label, await loadServer(server, { seconds, connections, signal }));
      perRound.push(results);
      const line = servers.map((s) => `${s.label}: ${Math.round(results.get(s.label).requestsPerSecond)} req/s ${results.get(s.label).cpuMicrosPerRequest.toFixed(0)} us/req`).join('  |  ');
      console.log(`${name} round ${round + 1}: ${line}`);
    }
    return perRound;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

const uptime = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`load average before: ${uptime()}`);

const cpu = await compare('cpu', 8, 'src/sha-app.mjs', [
  ['threads 2', ['-w', '1', '-k', 'threads', '--threads', '2']],
  ['threads 1', ['-w', '1', '-k', 'threads', '--threads', '1']],
  ['sync -w 2', ['-w', '2', '-k', 'sync']],
]);
const rate = (results, label) => results.get(label).requestsPerSecond;
console.log(`cpu: threads 2 / threads 1 = ${median(cpu.map((r) => rate(r, 'threads 2') / rate(r, 'threads 1'))).toFixed(2)}x (target >= 1.7x)`);
console.log(`cpu: threads 2 / sync -w 2 = ${median(cpu.map((r) => rate(r, 'threads 2') / rate(r, 'sync -w 2'))).toFixed(2)}x (target >= 0.9x)`);

const hello = await compare('hello', 16, 'src/hello.mjs', [
  ['threads 1', ['-w', '1', '-k', 'threads', '--threads', '1']],
  ['async', ['-w', '1']],
]);
const us = (results, label) => results.get(label).cpuMicrosPerRequest;
console.log(`hello: dispatch overhead (CPU us/req threads - async) = ${median(hello.map((r) => us(r, 'threads 1') - us(r, 'async'))).toFixed(1)} us (target <= 40)`);
console.log(`hello: req/s threads / async = ${median(hello.map((r) => rate(r, 'threads 1') / rate(r, 'async'))).toFixed(2)}x`);

for (const threads of [1, 2, 4]) {
  const server = await started(`threads ${threads}`, 'src/hello.mjs', ['-w', '1', '-k', 'threads', '--threads', String(threads)]);
  try {
    const worker = server.pids.at(-1);
    const idle = rssMb(worker);
    await loadServer(server, { seconds: 1, connections: 16, signal });
    console.log(`rss: --threads ${threads}: worker ${idle.toFixed(1)} MB idle, ${rssMb(worker).toFixed(1)} MB after load`);
  } finally {
    await server.stop();
  }
}
console.log(`load average after: ${uptime()}`);
