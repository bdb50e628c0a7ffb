#!/usr/bin/env node
// The benchmark harness: gu (-w 1, default worker class) against a bare http.createServer running
// the same listener, in alternating rounds on loopback. Run by `tooling/run bench`; see README.md.
// Exit codes: 0 whatever the verdict, 1 when something crashed, 2 on a bad flag, 130 on SIGINT.
import os from 'node:os';
import { UsageError, parseBenchArgs, usage } from './args.mjs';
import { pinThisProcess, planPinning } from './cpu-pinning.mjs';
import { formatSummary } from './report.mjs';
import { runBench } from './bench-command.mjs';
import { runRounds } from './rounds.mjs';
import { spawnBare, spawnGu } from './servers.mjs';

const say = (text = '') => process.stdout.write(`${text}\n`);

function header(options, candidateLabel, pinning, cpuCount) {
  const warmup = options.warmup > 0 ? `, after a ${options.warmup} s warm-up of each` : '';
  const cpus = pinning
    ? `load generator pinned to CPU ${pinning.load}, servers to CPU ${pinning.servers}`
    : 'not pinned: servers and load generator share them';
  return [
    `bench: ${candidateLabel} vs bare http.createServer, same listener (src/hello.mjs), 127.0.0.1`,
    `  ${options.rounds} round(s) x ${options.duration} s per server, ${options.connections} connections${warmup}`,
    `  Node ${process.version}, ${cpuCount} CPU(s), ${cpus}`,
  ].join('\n');
}

async function serve(options, signal, servers) {
  const cpuCount = os.availableParallelism();
  const pinning = options.pin ? planPinning() : undefined;
  if (pinning) pinThisProcess(pinning.load);
  servers.push(spawnBare('baseline', pinning?.servers));
  servers.push(options.selfCheck ? spawnBare('baseline#2', pinning?.servers) : spawnGu(options.workers, pinning?.servers));
  await Promise.all(servers.map((server) => server.untilReady(signal)));
  say(header(options, servers[1].label, pinning, cpuCount));
  const { roundRatios, disturbedRounds } = await runRounds(servers, options, signal, say);
  say();
  say(formatSummary(roundRatios, servers[1].label, disturbedRounds));
}

// Exit explicitly: a socket autocannon left behind must not keep the harness alive.
process.exit(await runBench({
  name: 'bench', argv: process.argv.slice(2), parse: parseBenchArgs, usage, isUsageError: (error) => error instanceof UsageError, run: serve,
}));
