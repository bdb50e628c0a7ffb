#!/usr/bin/env node
// The sync worker's benchmark (`tooling/run bench sync`, see README.md), two comparisons and two
// optional ones when gunicorn is installed (`--scenarios gunicorn`: gu vs Gunicorn's sync worker;
// `--scenarios ceiling`: node:cluster with no gu vs Gunicorn, the most a closing server gets here):
//   hello  gu -k sync -w 2 vs node:cluster x2 on one shared socket, both `Connection: close`,
//          hello world, pinned like bench.mjs; target: gu at least 0.7x the cluster's req/s.
//   cpu    gu -k sync -w 2 vs -w 1, ~5 ms of sha256 per request, 8 clients, not pinned (the two
//          workers need both CPUs); target: 2 workers at least 1.8x one.
// Exit codes: 0 whatever the verdict, 1 when something crashed, 2 on a bad flag, 130 on SIGINT.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { pinThisProcess, planPinning, unpinThisProcess } from './cpu-pinning.mjs';
import { formatSummary } from './report.mjs';
import { runBench } from './bench-command.mjs';
import { runRounds } from './rounds.mjs';
import { spawnBareCluster, spawnGu, spawnGunicorn } from './servers.mjs';

const say = (text = '') => process.stdout.write(`${text}\n`);
const reqPerSecondAtLeast = (limit) => [{ label: 'req/s', metric: 'requestsPerSecond', bound: 'at least', limit }];

/** `sync`, or a candidate file's name without its folder and extension. */
const labelOf = (k) => k.replace(/^.*\//, '').replace(/\.m?js$/, '');
const gunicornInstalled = () => spawnSync('gunicorn', ['--version'], { stdio: 'ignore' }).status === 0;

const scenarios = {
  hello: {
    title: (k) => `hello world, gu -k ${k} -w 2 vs node:cluster x2 (shared socket), Connection: close`,
    pin: true,
    connections: 50,
    servers: (k, cpus) => [
      spawnBareCluster('node cluster x2', 2, cpus),
      spawnGu(2, cpus, { workerClass: k, label: `gu -k ${labelOf(k)} -w 2` }),
    ],
    targets: reqPerSecondAtLeast(0.7),
  },
  gunicorn: {
    title: (k) => `hello world, gu -k ${k} -w 2 vs Gunicorn's sync worker -w 2 (src/hello_wsgi.py), Connection: close`,
    pin: true,
    connections: 50,
    available: gunicornInstalled,
    servers: (k, cpus) => [
      spawnGunicorn('gunicorn sync -w 2', 2, cpus),
      spawnGu(2, cpus, { workerClass: k, label: `gu -k ${labelOf(k)} -w 2` }),
    ],
    targets: reqPerSecondAtLeast(3),
  },
  // No gu here: how far above Gunicorn any server can get when every response closes its connection
  // (issue 8's 3x target for `gunicorn` is read against this).
  ceiling: {
    title: () => "hello world, node:cluster x2 (no gu) vs Gunicorn's sync worker -w 2, both Connection: close",
    pin: true,
    connections: 50,
    available: gunicornInstalled,
    servers: (_k, cpus) => [spawnGunicorn('gunicorn sync -w 2', 2, cpus), spawnBareCluster('node cluster x2', 2, cpus)],
    targets: [],
  },
  cpu: {
    title: (k) => `~5 ms of sha256 per request (src/sha-app.mjs), gu -k ${k}: -w 2 vs -w 1, 8 clients, unpinned`,
    pin: false,
    connections: 8,
    servers: (k) => [
      spawnGu(1, undefined, { app: 'src/sha-app.mjs', workerClass: k, label: `${labelOf(k)} -w 1` }),
      spawnGu(2, undefined, { app: 'src/sha-app.mjs', workerClass: k, label: `${labelOf(k)} -w 2` }),
    ],
    targets: reqPerSecondAtLeast(1.8),
  },
};

const usage = [
  'usage: tooling/run bench sync [flags]    (or: node apps/bench/src/sync.mjs [flags])',
  '  --scenarios LIST    comma-separated: hello,cpu,gunicorn,ceiling (default hello,cpu; the last two need `gunicorn` on PATH)',
  '  --rounds N          rounds per scenario, each server first in turn (default 6)',
  '  --duration S        seconds of load per server per round (default 3)',
  '  --worker-class K    gu\'s -k: sync (default), or a candidate file such as src/sync-candidates/close-copy.mjs',
].join('\n');

function parse(argv) {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      scenarios: { type: 'string', default: 'hello,cpu' },
      rounds: { type: 'string', default: '6' },
      duration: { type: 'string', default: '3' },
      'worker-class': { type: 'string', default: 'sync' },
      help: { type: 'boolean', default: false },
    },
  });
  const names = values.scenarios.split(',');
  const unknown = names.filter((name) => !(name in scenarios));
  const [rounds, duration] = [Number(values.rounds), Number(values.duration)];
  if (unknown.length > 0) throw new Error(`--scenarios: unknown ${unknown.join(', ')} (expected hello, cpu, gunicorn, ceiling)`);
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(duration) || duration < 1) {
    throw new Error('--rounds and --duration: expected positive integers');
  }
  return { names, rounds, duration, workerClass: values['worker-class'], help: values.help, warmup: 1 };
}

async function runScenario(scenario, options, signal, servers) {
  if (scenario.available && !scenario.available()) return void say(`\n== ${scenario.title(options.workerClass)}: not installed, skipped`);
  const plan = planPinning();
  const pinning = scenario.pin ? plan : undefined;
  // An earlier pinned scenario left the harness on one CPU: an unpinned one gives it all back.
  if (plan && pinning) pinThisProcess(pinning.load);
  else if (plan) unpinThisProcess();
  servers.push(...scenario.servers(options.workerClass, pinning?.servers));
  try {
    await Promise.all(servers.map((server) => server.untilReady(signal)));
    say(`\n== ${scenario.title(options.workerClass)}`);
    say(`  ${options.rounds} round(s) x ${options.duration} s per server, ${scenario.connections} connections, ${pinning ? `load on CPU ${pinning.load}, servers on CPU ${pinning.servers}` : 'not pinned'}`);
    const rounds = await runRounds(servers, { ...options, connections: scenario.connections, fresh: true }, signal, say);
    say();
    say(formatSummary(rounds.roundRatios, servers[1].label, rounds.disturbedRounds, scenario.targets));
  } finally {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  }
}

process.exit(await runBench({
  name: 'bench sync', argv: process.argv.slice(2), parse, usage,
  run: async (options, signal, servers) => {
    for (const name of options.names) await runScenario(scenarios[name], options, signal, servers);
  },
}));
