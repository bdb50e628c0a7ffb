// What the harness prints: a table per round, then the median ratios against their targets.
import { median } from './stats.mjs';

/** The targets of gu against the baseline, in the product card's terms. */
export const targets = [
  { label: 'req/s', metric: 'requestsPerSecond', bound: 'at least', limit: 0.97 },
  { label: 'p99 latency', metric: 'p99', bound: 'at most', limit: 1.2 },
];

/** Compared too, without a target: what a request costs the server in CPU time. */
const informative = [{ label: 'CPU per req', metric: 'cpuMicrosPerRequest' }];
const comparedMetrics = [...targets, ...informative].map(({ metric }) => metric);

const meets = {
  'at least': (ratio, limit) => ratio >= limit,
  'at most': (ratio, limit) => ratio <= limit,
};

const columns = [
  { title: 'server', width: 14, cell: (row) => row.label },
  { title: 'req/s', width: 10, cell: (row) => row.result.requestsPerSecond.toFixed(0) },
  { title: 'p50 ms', width: 8, cell: (row) => row.result.p50.toFixed(3) },
  { title: 'p99 ms', width: 8, cell: (row) => row.result.p99.toFixed(3) },
  { title: 'requests', width: 10, cell: (row) => String(row.result.requests) },
  { title: 'CPU %', width: 6, cell: (row) => fixed(row.result.cpuPercent, 0) },
  { title: 'CPU us/req', width: 10, cell: (row) => fixed(row.result.cpuMicrosPerRequest, 1) },
  { title: 'other %', width: 7, cell: (row) => fixed(row.result.otherCpuPercent, 0) },
  { title: 'failed', width: 7, cell: (row) => String(failures(row.result)) },
];

/**
 * Other processes using more than this share of one CPU during a run make its figures noise: on a
 * 2-CPU machine each CPU is already taken, by the server or by the load generator.
 */
const disturbedAbovePercent = 10;

/** Whether other load on the machine disturbed any run of this round. */
export function disturbed(rows) {
  return rows.some((row) => row.result.otherCpuPercent > disturbedAbovePercent);
}

/** Requests that did not get a 2xx answer: connection errors, timeouts, other statuses. */
export function failures(result) {
  return result.errors + result.timeouts + result.non2xx;
}

/** `value` with `digits` decimals; '-' where it could not be measured (no /proc). */
const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const pad = (text, width, index) => (index === 0 ? text.padEnd(width) : text.padStart(width));
const line = (cells) => `  ${cells.map((text, index) => pad(text, columns[index].width, index)).join(' ')}`;
const ratioText = (ratio) => (Number.isFinite(ratio) ? `${ratio.toFixed(3)}x` : '-');

/** Each metric of `candidate` divided by the same metric of `baseline`. */
export function ratios(baseline, candidate) {
  return Object.fromEntries(comparedMetrics.map((metric) => [metric, candidate[metric] / baseline[metric]]));
}

/**
 * The table of one round: the baseline's row, the candidate's, then the candidate's ratios to the
 * baseline. `firstLabel` names the server that was loaded first in this round.
 */
export function formatRound(index, total, rows, firstLabel) {
  const ratio = ratios(rows[0].result, rows[1].result);
  const ratioByColumn = {
    server: 'ratio',
    'req/s': ratioText(ratio.requestsPerSecond),
    'p99 ms': ratioText(ratio.p99),
    'CPU us/req': ratioText(ratio.cpuMicrosPerRequest),
  };
  const ratioCells = columns.map(({ title }) => ratioByColumn[title] ?? '');
  return [
    `round ${index + 1}/${total} (${firstLabel} first)`,
    line(columns.map(({ title }) => title)),
    ...rows.map((row) => line(columns.map(({ cell }) => cell(row)))),
    line(ratioCells),
    ...(disturbed(rows) ? [`  note: other processes used over ${disturbedAbovePercent} % of a CPU in this round; its ratios are noisy`] : []),
  ].join('\n');
}

/**
 * The summary: for each target, the median over rounds of the per-round ratio (each round's
 * servers ran back to back, so a ratio is not skewed by a machine that got slower between rounds),
 * and PASS or MISS.
 */
export function formatSummary(roundRatios, candidateLabel, disturbedRounds, summaryTargets = targets) {
  const lines = [`summary: median over ${roundRatios.length} round(s) of ${candidateLabel} / baseline`];
  const summaryLine = (label, metric, verdict) => {
    const values = roundRatios.map((ratio) => ratio[metric]);
    const range = `(rounds ${ratioText(Math.min(...values))} to ${ratioText(Math.max(...values))})`;
    return `  ${label.padEnd(12)} ${ratioText(median(values)).padStart(8)}  ${range.padEnd(28)} ${verdict}`;
  };
  for (const { label, metric, bound, limit } of summaryTargets) {
    const verdict = meets[bound](median(roundRatios.map((ratio) => ratio[metric])), limit) ? 'PASS' : 'MISS';
    lines.push(summaryLine(label, metric, `target ${bound} ${limit.toFixed(2)}x: ${verdict}`));
  }
  // A scenario without a req/s target (a reference comparison) still shows the ratio.
  const untargeted = summaryTargets.some(({ metric }) => metric === 'requestsPerSecond') ? [] : [{ label: 'req/s', metric: 'requestsPerSecond' }];
  for (const { label, metric } of [...untargeted, ...informative]) lines.push(summaryLine(label, metric, 'no target'));
  if (disturbedRounds > 0) {
    lines.push(`  ${disturbedRounds} of ${roundRatios.length} round(s) disturbed by other load: rerun on a quiet machine before trusting a verdict`);
  }
  return lines.join('\n');
}
