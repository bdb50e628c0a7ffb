#!/usr/bin/env node
// WebSocket echo: gu -k asgi -w 1 serving an ASGI echo app (src/ws-echo-asgi.mjs) against ws alone
// in one process (src/ws-bare-server.mjs), messages per second over 50 connections, rounds
// alternating which server goes first; the verdict is the median of the per-round ratios (target:
// at least 0.9x, issue 10). Run by `tooling/run bench websocket`; see README.md.
// Usage: node src/websocket.mjs [--rounds N] [--duration S] [--connections C] [--no-pin]
import { parseArgs } from 'node:util';
import { cpuSeconds, machineBusySeconds, ownCpuSeconds } from './cpu-time.mjs';
import { pinThisProcess, planPinning } from './cpu-pinning.mjs';
import { runBench } from './bench-command.mjs';
import { spawnBare, spawnGu } from './servers.mjs';
import { median } from './stats.mjs';
import { measureWebSocket } from './ws-load.mjs';

const TARGET = 0.9;
const say = (text = '') => process.stdout.write(`${text}\n`);

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '2' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const options = {
  rounds: Number(values.rounds),
  duration: Number(values.duration),
  connections: Number(values.connections),
  warmup: Number(values.warmup),
};
for (const [name, value] of Object.entries(options)) {
  if (!Number.isInteger(value) || value < (name === 'warmup' ? 0 : 1)) {
    process.stderr.write(`bench websocket: --${name} must be a whole number (at least ${name === 'warmup' ? 0 : 1}), got ${values[name]}\n`);
    process.exit(2);
  }
}

/** One load run with the CPU figures that make it readable on a shared machine (see server-run.mjs). */
async function load(server, seconds, signal) {
  const before = { server: cpuSeconds(server.pids), own: ownCpuSeconds(), machine: machineBusySeconds() };
  const result = await measureWebSocket(`${server.url}/echo`, { seconds, connections: options.connections, signal });
  const after = { server: cpuSeconds(server.pids), own: ownCpuSeconds(), machine: machineBusySeconds() };
  if (signal.aborted) throw new Error('interrupted');
  if (server.exitStatus !== undefined) throw new Error(`${server.label} exited (${server.exitStatus}) during the run${server.describeTail()}`);
  const used = (key) => after[key] - before[key];
  return {
    ...result,
    cpuPercent: (100 * used('server')) / result.seconds,
    cpuMicrosPerMessage: (1e6 * used('server')) / result.messages,
    otherCpuPercent: Math.max(0, (100 * (used('machine') - used('server') - used('own'))) / result.seconds),
  };
}

const row = (label, r) =>
  `  ${label.padEnd(16)} ${r.messagesPerSecond.toFixed(0).padStart(9)} msg/s  CPU ${r.cpuPercent.toFixed(0).padStart(3)} %  ` +
  `${r.cpuMicrosPerMessage.toFixed(1).padStart(6)} us/msg  other ${r.otherCpuPercent.toFixed(0).padStart(3)} %${r.errors > 0 ? `  ${r.errors} connection error(s)` : ''}`;

async function compare(signal, servers) {
  const pinning = values['no-pin'] ? undefined : planPinning();
  if (pinning) pinThisProcess(pinning.load);
  servers.push(spawnBare('ws alone', pinning?.servers, 'src/ws-bare-server.mjs'));
  // No pings on either side: the baseline sends none, and the load generator answers none.
  servers.push(spawnGu(1, pinning?.servers, { app: 'src/ws-echo-asgi.mjs', workerClass: 'asgi', label: 'gu -k asgi -w 1', flags: ['--websocket-ping-interval', '0'] }));
  await Promise.all(servers.map((server) => server.untilReady(signal)));
  const cpus = pinning ? `load generator on CPU ${pinning.load}, servers on CPU ${pinning.servers}` : 'not pinned';
  say(`bench websocket: ${servers[1].label} (ASGI echo) vs ws alone, 32-byte text messages, one in flight per connection`);
  say(`  ${options.rounds} round(s) x ${options.duration} s per server, ${options.connections} connections, Node ${process.version}, ${cpus}`);
  if (options.warmup > 0) for (const server of servers) await load(server, options.warmup, signal);
  const ratios = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    const results = [];
    for (const index of order) results[index] = await load(servers[index], options.duration, signal);
    const ratio = results[1].messagesPerSecond / results[0].messagesPerSecond;
    ratios.push({ rate: ratio, cpu: results[1].cpuMicrosPerMessage / results[0].cpuMicrosPerMessage });
    say(`round ${round + 1}/${options.rounds} (${servers[order[0]].label} first)`);
    for (const index of [0, 1]) say(row(servers[index].label, results[index]));
    say(`  ratio            ${ratio.toFixed(3)}x msg/s, ${ratios.at(-1).cpu.toFixed(3)}x CPU per message`);
  }
  const rate = median(ratios.map((r) => r.rate));
  const range = `rounds ${Math.min(...ratios.map((r) => r.rate)).toFixed(3)}x to ${Math.max(...ratios.map((r) => r.rate)).toFixed(3)}x`;
  say();
  say(`summary: median over ${ratios.length} round(s) of ${servers[1].label} / ws alone`);
  say(`  msg/s          ${rate.toFixed(3)}x  (${range})  target at least ${TARGET.toFixed(2)}x: ${rate >= TARGET ? 'PASS' : 'MISS'}`);
  say(`  CPU per msg    ${median(ratios.map((r) => r.cpu)).toFixed(3)}x  no target`);
}

process.exitCode = await runBench({ name: 'bench websocket', parse: () => options, run: (_options, signal, servers) => compare(signal, servers) });
