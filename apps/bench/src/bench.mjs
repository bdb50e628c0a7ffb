#!/usr/bin/env node
// The benchmark harness: gu (-w 1, default worker class) against a bare http.createServer running
// the same listener, in alternating rounds on loopback. Run by `tooling/run bench`; see README.md.
// Exit codes: 0 whatever the verdict, 1 when something crashed, 2 on a bad flag, 130 on SIGINT.
import os from 'node:os';
import { UsageError, parseBenchArgs, usage } from './args.mjs';
import { pinThisProcess, planPinning } from './cpu-pinning.mjs';
import { disturbed, failures, formatRound, formatSummary, ratios } from './report.mjs';
import { loadServer } from './server-run.mjs';
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

function load(server, options, seconds, signal) {
  return loadServer(server, { seconds, connections: options.connections, signal });
}

/**
 * Which server runs first in a round: the baseline in even rounds, gu in odd ones (baseline, gu |
 * gu, baseline | …). With the baseline always first, a baseline#2 in --self-check came out ~3 %
 * slower than the baseline in most quiet rounds: the order itself weighs, so it is counterbalanced
 * (this also cancels a drift of the machine's speed over a pair of rounds).
 */
function runOrder(round) {
  return round % 2 === 0 ? [0, 1] : [1, 0];
}

async function runRounds(servers, options, signal) {
  if (options.warmup > 0) {
    for (const server of servers) await load(server, options, options.warmup, signal);
  }
  const roundRatios = [];
  let disturbedRounds = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    const rows = [];
    for (const index of runOrder(round)) {
      const server = servers[index];
      rows[index] = { label: server.label, result: await load(server, options, options.duration, signal) };
    }
    say();
    say(formatRound(round, options.rounds, rows, servers[runOrder(round)[0]].label));
    const failed = rows.filter((row) => failures(row.result) > 0);
    for (const row of failed) say(`  warning: ${row.label} had ${failures(row.result)} failed request(s)`);
    roundRatios.push(ratios(rows[0].result, rows[1].result));
    if (disturbed(rows)) disturbedRounds += 1;
  }
  return { roundRatios, disturbedRounds };
}

/** First SIGINT/SIGTERM: stop the load and the servers cleanly. Second: SIGKILL them and leave. */
function onInterrupt(controller, servers) {
  return () => {
    if (!controller.signal.aborted) {
      process.stderr.write('bench: interrupted, stopping the servers\n');
      controller.abort();
      return;
    }
    for (const server of servers) server.kill();
    process.exit(130);
  };
}

async function main(argv) {
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n${usage}\n`);
    return 2;
  }
  if (options.help) {
    say(usage);
    return 0;
  }
  const controller = new AbortController();
  const servers = [];
  const interrupt = onInterrupt(controller, servers);
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    const cpuCount = os.availableParallelism();
    const pinning = options.pin ? planPinning() : undefined;
    if (pinning) pinThisProcess(pinning.load);
    servers.push(spawnBare('baseline', pinning?.servers));
    servers.push(options.selfCheck ? spawnBare('baseline#2', pinning?.servers) : spawnGu(options.workers, pinning?.servers));
    await Promise.all(servers.map((server) => server.untilReady(controller.signal)));
    say(header(options, servers[1].label, pinning, cpuCount));
    const { roundRatios, disturbedRounds } = await runRounds(servers, options, controller.signal);
    say();
    say(formatSummary(roundRatios, servers[1].label, disturbedRounds));
    return 0;
  } catch (error) {
    if (controller.signal.aborted) return 130;
    process.stderr.write(`bench: ${error.message}\n`);
    return 1;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

// Exit explicitly: a socket autocannon left behind must not keep the harness alive.
process.exit(await main(process.argv.slice(2)));
