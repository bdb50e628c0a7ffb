#!/usr/bin/env node
// The asgi worker's HTTP benchmark (@gu/asgi-bridge, `node src/asgi.mjs`): hello world under
// `gu -k asgi -w 1` (src/hello_asgi.mjs, an ASGI app) against the async worker's `gu -w 1`
// (src/hello.mjs, a node listener), keep-alive connections, pinned like bench.mjs. Rounds alternate
// which server goes first; the verdict is the median of per-round ratios. Target: asgi at least
// 0.85x the async worker's req/s (issue 10).
// Usage: node src/asgi.mjs [--rounds N] [--duration S] [--connections C]
// Exit codes: 0 whatever the verdict, 1 when a server failed, 2 on a bad flag, 130 on SIGINT.
import { pinThisProcess, planPinning } from './cpu-pinning.mjs';
import { formatSummary } from './report.mjs';
import { runBench } from './bench-command.mjs';
import { parseRoundsArgs } from './rounds-args.mjs';
import { runRounds } from './rounds.mjs';
import { spawnGu } from './servers.mjs';

const say = (text = '') => process.stdout.write(`${text}\n`);
const usage = 'usage: node src/asgi.mjs [--rounds N (default 8)] [--duration S (default 3)] [--connections C (default 50)]';

async function compare(options, signal, servers) {
  const pinning = planPinning();
  if (pinning) pinThisProcess(pinning.load);
  servers.push(spawnGu(1, pinning?.servers, { label: 'gu -w 1 (async)' }));
  servers.push(spawnGu(1, pinning?.servers, { app: 'src/hello_asgi.mjs', workerClass: 'asgi', label: 'gu -k asgi -w 1' }));
  await Promise.all(servers.map((server) => server.untilReady(signal)));
  say(`== hello world, gu -k asgi (ASGI app) vs gu -w 1 (async worker, node listener), keep-alive`);
  say(`  ${options.rounds} round(s) x ${options.duration} s per server, ${options.connections} connections, ${pinning ? `load on CPU ${pinning.load}, servers on CPU ${pinning.servers}` : 'not pinned'}`);
  const rounds = await runRounds(servers, options, signal, say);
  say();
  say(formatSummary(rounds.roundRatios, servers[1].label, rounds.disturbedRounds, [{ label: 'req/s', metric: 'requestsPerSecond', bound: 'at least', limit: 0.85 }]));
}

process.exit(await runBench({ name: 'bench asgi', argv: process.argv.slice(2), parse: parseRoundsArgs, usage, run: compare }));
