#!/usr/bin/env node
// The fetch adapter's benchmark (@gu/adapters, `node src/fetch-adapter.mjs`): a hello-world Hono app
// under `gu -w 1` (the async worker) through adaptFetchApp (src/hello-hono-adapters.mjs) against the
// same app through @hono/node-server's getRequestListener (src/hello-hono-node-server.mjs), then
// against a plain node listener (src/hello.mjs) for what a fetch app costs at all. Keep-alive
// connections, pinned like bench.mjs; rounds alternate which server goes first; verdicts are
// medians of per-round ratios. Target: the adapter at least 0.95x @hono/node-server's req/s.
// Usage: node src/fetch-adapter.mjs [--rounds N] [--duration S] [--connections C]
// Exit codes: 0 whatever the verdict, 1 when a server failed, 2 on a bad flag, 130 on SIGINT.
import { pinThisProcess, planPinning } from './cpu-pinning.mjs';
import { formatSummary } from './report.mjs';
import { runBench } from './bench-command.mjs';
import { parseRoundsArgs } from './rounds-args.mjs';
import { runRounds } from './rounds.mjs';
import { spawnGu } from './servers.mjs';
import { median } from './stats.mjs';

const say = (text = '') => process.stdout.write(`${text}\n`);
const usage = 'usage: node src/fetch-adapter.mjs [--rounds N (default 8)] [--duration S (default 3)] [--connections C (default 50)]';
const reqPerSecond = (limit) => [{ label: 'req/s', metric: 'requestsPerSecond', bound: 'at least', limit }];

async function compare(options, signal, servers) {
  const pinning = planPinning();
  if (pinning) pinThisProcess(pinning.load);
  const start = (app, label) => {
    const server = spawnGu(1, pinning?.servers, { app, label });
    servers.push(server);
    return server;
  };
  const nodeServer = start('src/hello-hono-node-server.mjs', 'hono-node-srv');
  const adapter = start('src/hello-hono-adapters.mjs', '@gu/adapters');
  const plain = start('src/hello.mjs', 'node listener');
  await Promise.all(servers.map((server) => server.untilReady(signal)));
  say(`== hello-world Hono under gu -w 1 (async): @gu/adapters' adaptFetchApp vs @hono/node-server's getRequestListener, keep-alive`);
  say(`  ${options.rounds} round(s) x ${options.duration} s per server, ${options.connections} connections, ${pinning ? `load on CPU ${pinning.load}, servers on CPU ${pinning.servers}` : 'not pinned'}`);
  const vsNodeServer = await runRounds([nodeServer, adapter], options, signal, say);
  say();
  say(`== the same, @gu/adapters vs a plain node listener (src/hello.mjs): what being a fetch app costs`);
  const vsPlain = await runRounds([plain, adapter], { ...options, warmup: 0 }, signal, say);
  say();
  say(`baseline: ${nodeServer.label} (@hono/node-server)`);
  say(formatSummary(vsNodeServer.roundRatios, adapter.label, vsNodeServer.disturbedRounds, reqPerSecond(0.95)));
  say(`baseline: ${plain.label} (no target: what a fetch app costs over a bare listener)`);
  const plainRatios = vsPlain.roundRatios.map((ratio) => ratio.requestsPerSecond);
  say(`  req/s        ${median(plainRatios).toFixed(3)}x  (rounds ${Math.min(...plainRatios).toFixed(3)}x to ${Math.max(...plainRatios).toFixed(3)}x)`);
  say(formatSummary(vsPlain.roundRatios, adapter.label, vsPlain.disturbedRounds, []).split('\n').slice(1).join('\n'));
}

process.exit(await runBench({ name: 'bench fetch', argv: process.argv.slice(2), parse: parseRoundsArgs, usage, run: compare }));
