import type { ArbiterStatus } from '../control/arbiter-port.js';
import type { WorkerReport } from '../control/commands.js';
import type { Totals } from '../arbiter/figure-book.js';

/** How `gu ctl` shows each command's result to people (`--json` prints the raw result instead). */
export const formatters: Readonly<Record<string, (result: unknown) => string>> = {
  status: (result) => {
    const status = result as ArbiterStatus;
    return keyValues([
      ['pid', status.pid],
      ['uptime', seconds(status.uptime)],
      ['settings digest', status.settingsDigest],
      ['generation', status.generation],
      ['workers', `${status.workers} (target ${status.target})`],
      ['state', status.stopping ? 'stopping' : 'running'],
    ]);
  },
  workers: (result) => workerTable(result as WorkerReport[]),
  stats: (result) => {
    const stats = result as Totals & { workers: WorkerReport[] };
    const exits = Object.entries(stats.exits).map(([cause, count]) => `${cause} ${count}`).join(', ');
    return `${keyValues([
      ['requests', stats.requests],
      ['in flight', stats.inFlight],
      ['worker exits', exits],
    ])}\n${workerTable(stats.workers)}`;
  },
  reload: (result) => `reloaded: generation ${(result as { generation: number }).generation}\n`,
  scale: (result) => {
    const { previous, target } = result as { previous: number; target: number };
    return `target workers: ${previous} -> ${target}\n`;
  },
  'worker kill': (result) => {
    const { pid, signal } = result as { pid: number; signal: string };
    return `sent ${signal} to worker ${pid}; the arbiter starts its replacement\n`;
  },
};

function keyValues(rows: readonly (readonly [string, string | number])[]): string {
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${`${key}:`.padEnd(width + 2)}${value}\n`).join('');
}

const columns: readonly (readonly [string, (worker: WorkerReport) => string])[] = [
  ['PID', (worker) => String(worker.pid)],
  ['AGE', (worker) => String(worker.age)],
  ['GEN', (worker) => String(worker.generation)],
  ['UPTIME', (worker) => seconds(worker.uptime)],
  ['STATE', (worker) => (!worker.ready ? 'booting' : worker.serving ? 'serving' : 'draining')],
  ['REQUESTS', (worker) => figure(worker, worker.requests)],
  ['IN_FLIGHT', (worker) => figure(worker, worker.inFlight)],
  ['RSS_MB', (worker) => figure(worker, worker.rss === undefined ? undefined : (worker.rss / 1024 / 1024).toFixed(1))],
  ['LOOP_P99_MS', (worker) => figure(worker, worker.loopDelay?.p99.toFixed(1))],
  ['LAST_BEAT', (worker) => `${worker.lastBeat.toFixed(1)}s ago`],
];

/** Aligned columns, one row per worker; `-` for figures of a worker that did not answer in time. */
function workerTable(workers: readonly WorkerReport[]): string {
  const rows = [columns.map(([title]) => title), ...workers.map((worker) => columns.map(([, cell]) => cell(worker)))];
  const widths = columns.map((_, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0)));
  const lines = rows.map((row) => row.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd());
  const silent = workers.filter((worker) => !worker.answered).length;
  const footer = `${workers.length} worker(s)${silent > 0 ? `, ${silent} did not answer in time (-)` : ''}`;
  return `${lines.join('\n')}\n${footer}\n`;
}

function figure(worker: WorkerReport, value: string | number | undefined): string {
  return worker.answered && value !== undefined ? String(value) : '-';
}

function seconds(value: number): string {
  return `${value.toFixed(1)}s`;
}
