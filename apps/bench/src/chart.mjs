#!/usr/bin/env node
// The README's benchmark chart, from a real run: gu -w 2 against a bare node:http process,
// node:cluster with 2 processes, and PM2 with 2 instances when pm2 is on PATH — req/s and p99 of
// hello world over keep-alive connections, in alternating rounds — then the requests each loses
// during 5 reloads (gu: HUP; PM2: `pm2 reload`) under load. Writes the figures with the date and
// the machine to docs/bench/results.json and the chart to docs/bench/chart.svg.
// Run by `tooling/run bench chart`; see README.md. Exit codes as every bench command (bench-command.mjs).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runBench } from './bench-command.mjs';
import { renderChart } from './chart-svg.mjs';
import { loadServer } from './server-run.mjs';
import { spawnBare, spawnBareCluster, spawnGu, spawnPm2Runtime } from './servers.mjs';
import { median } from './stats.mjs';
import { findOnPath, findPm2, guScenarios, runGuScenario, runPm2Scenario } from './zero-loss-scenarios.mjs';

const say = (line = '') => process.stdout.write(`${line}\n`);
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const WORKERS = 2;

const flags = {
  rounds: { default: 4, min: 1, help: 'throughput rounds; each loads every server once, in alternating order' },
  duration: { default: 5, min: 1, help: 'seconds of load per server per round' },
  connections: { default: 50, min: 1, help: 'keep-alive connections of the load generator' },
  'reload-duration': { default: 10, min: 2, help: 'seconds of load during the 5 reloads' },
};
const usage = [
  'usage: tooling/run bench chart [flags]    (or: node apps/bench/src/chart.mjs [flags])',
  ...Object.entries(flags).map(([name, flag]) => `  --${name} N`.padEnd(26) + `${flag.help} (default ${flag.default})`),
  '  --out DIR'.padEnd(26) + 'where results.json and chart.svg go (default docs/bench)',
  '  --help'.padEnd(26) + 'print this help',
  'node apps/bench/src/chart.mjs --redraw [DIR]: redraws DIR/chart.svg (default docs/bench) from its results.json',
].join('\n');

function parse(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ...Object.fromEntries(Object.keys(flags).map((name) => [name, { type: 'string' }])), out: { type: 'string' }, help: { type: 'boolean' } },
  });
  const options = { help: values.help === true, out: values.out ?? join(root, 'docs/bench') };
  for (const [name, flag] of Object.entries(flags)) {
    const text = values[name];
    const value = text === undefined ? flag.default : Number(text);
    if (!Number.isInteger(value) || value < flag.min) throw new Error(`--${name}: expected a whole number of at least ${flag.min}, got '${text}'`);
    options[name.replace(/-(\w)/g, (_, c) => c.toUpperCase())] = value;
  }
  return options;
}

/** The servers of the throughput panels; PM2 only where pm2-runtime is on PATH. */
function throughputServers(pm2Home) {
  const servers = [
    spawnBare('node:http', undefined),
    spawnBareCluster(`node:cluster ×${WORKERS}`, WORKERS, undefined, { keepAlive: true }),
    spawnGu(WORKERS, undefined, { label: `gu -w ${WORKERS}` }),
  ];
  const runtime = findOnPath('pm2-runtime');
  if (runtime) servers.push(spawnPm2Runtime(`PM2 -i ${WORKERS}`, runtime, WORKERS, pm2Home));
  return servers;
}

async function measureThroughput(options, signal, servers) {
  const pm2Home = mkdtempSync(join(os.tmpdir(), 'gu-chart-pm2-'));
  try {
    servers.push(...throughputServers(pm2Home));
    await Promise.all(servers.map((server) => server.untilReady(signal)));
    const load = (server, seconds) => loadServer(server, { seconds, connections: options.connections, signal });
    for (const server of servers) await load(server, 1);
    const runs = new Map(servers.map((server) => [server.label, []]));
    for (let round = 0; round < options.rounds; round += 1) {
      const order = round % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) runs.get(server.label).push(await load(server, options.duration));
      say(`round ${round + 1}/${options.rounds}: ${servers.map((s) => `${s.label} ${Math.round(runs.get(s.label).at(-1).requestsPerSecond)} req/s`).join(', ')}`);
    }
    return servers.map((server) => ({
      server: server.label,
      requestsPerSecond: median(runs.get(server.label).map((run) => run.requestsPerSecond)),
      p99Ms: median(runs.get(server.label).map((run) => run.p99)),
      failed: runs.get(server.label).reduce((sum, run) => sum + run.errors + run.timeouts + run.non2xx, 0),
    }));
  } finally {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    rmSync(pm2Home, { recursive: true, force: true });
  }
}

async function measureReloads(options, signal) {
  const load = { duration: options.reloadDuration, keepAliveClients: 10, freshClients: 10, maxRequests: 1000, delay: 0 };
  const log = (line) => say(`  ${line}`);
  const hup = guScenarios(load).find((scenario) => scenario.name === 'hup');
  const rows = [{ server: `gu -w ${WORKERS}`, ...lossOf(await runGuScenario(hup, load, signal, log)) }];
  // node:cluster has no reload of its own: a row without figures says so rather than leaving it out.
  rows.push({ server: `node:cluster ×${WORKERS}`, sent: null, failed: null });
  const pm2 = findPm2();
  rows.push(pm2 ? { server: `PM2 -i ${WORKERS}`, ...lossOf(await runPm2Scenario(pm2, load, signal, log)) } : { server: `PM2 -i ${WORKERS}`, sent: null, failed: null });
  return rows;
}

const lossOf = (row) => ({ sent: row.sent, failed: row.failed });

function machine() {
  const cpus = os.cpus();
  const [one, five] = os.loadavg();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: `${one.toFixed(2)} ${five.toFixed(2)}`,
  };
}

/** The chart of a recorded run (results.json), so that a chart can be redrawn without running again. */
export function chartOf(results) {
  const m = results.machine;
  return renderChart({
    title: 'gu against node:http, node:cluster and PM2 — hello world on 127.0.0.1',
    subtitle: `${results.options.connections} keep-alive connections, median of ${results.options.rounds} rounds × ${results.options.duration} s; reloads: 5 under load of 10 keep-alive + 10 fresh clients for ${results.options.reloadDuration} s`,
    panels: [
      { title: 'Throughput', unit: 'requests per second', better: 'higher', bars: results.throughput.map((r) => ({ label: r.server, value: r.requestsPerSecond, highlight: r.server.startsWith('gu') })) },
      { title: 'Latency', unit: 'p99 in milliseconds', better: 'lower', digits: 2, bars: results.throughput.map((r) => ({ label: r.server, value: r.p99Ms, highlight: r.server.startsWith('gu') })) },
      { title: 'Requests lost during 5 reloads', unit: 'failed requests', better: 'lower', bars: results.reloads.map((r) => ({ label: r.server, value: r.failed, highlight: r.server.startsWith('gu') })) },
    ],
    footer: [
      `Recorded ${results.date} by \`tooling/run bench chart\` · ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.kernel}, Node ${m.node}, load average at the start ${m.loadAverage}`,
      `Load generator on the same machine (not pinned). n/a: not installed or not applicable when recorded. Reloads sent: ${results.reloads.map((r) => `${r.server} ${r.sent ?? 'n/a'}`).join(', ')}.`,
    ],
  });
}

async function run(options, signal, servers) {
  const startedOn = machine();
  say(`bench chart: ${startedOn.cpus} CPU(s), Node ${startedOn.node}, load average ${startedOn.loadAverage}`);
  const throughput = await measureThroughput(options, signal, servers);
  say('reloads under load:');
  const reloads = await measureReloads(options, signal);
  const { help: _help, out, ...recorded } = options;
  const results = { date: new Date().toISOString().slice(0, 10), machine: startedOn, options: recorded, throughput, reloads };
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(out, 'chart.svg'), chartOf(results));
  say(`wrote ${join(out, 'results.json')} and ${join(out, 'chart.svg')}`);
}

/** `--redraw`: the chart from docs/bench/results.json as recorded, without running anything. */
function redraw(out) {
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  writeFileSync(join(out, 'chart.svg'), chartOf(results));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  if (argv[0] === '--redraw') {
    redraw(argv[1] ?? join(root, 'docs/bench'));
  } else {
    process.exit(await runBench({ name: 'bench chart', argv, parse, usage, run }));
  }
}
