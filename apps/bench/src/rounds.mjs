// Rounds of load on two servers, alternately one first and the other, with a table per round:
// shared by the harnesses (bench.mjs, sync.mjs).
import { disturbed, failures, formatRound, ratios } from './report.mjs';
import { loadServer } from './server-run.mjs';

function load(server, options, seconds, signal) {
  return loadServer(server, { seconds, connections: options.connections, signal, fresh: options.fresh });
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

export async function runRounds(servers, options, signal, say) {
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
export function onInterrupt(controller, servers) {
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
