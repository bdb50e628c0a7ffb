import type { MetricsJson } from '../metrics/request-metrics.js';
import type { WorkerFigures, WorkerMessage } from '../worker/protocol.js';
import type { ExitVerdict } from './exit-verdict.js';
import type { WorkerProcess } from './worker-process.js';

/** Why a worker left, as the exit counts tell it. */
export const exitCauses = ['reload', 'max_requests', 'memory', 'timeout', 'crash', 'boot', 'other'] as const;
export type ExitCause = (typeof exitCauses)[number];

/** A worker too busy (or blocked) to answer within this is reported as not answering. */
export const FIGURES_TIMEOUT_MS = 1000;

type FiguresMessage = Extract<WorkerMessage, { type: 'stats' }>;

/** The figures of every live worker asked at once: null for a worker that did not answer in time. */
export type FigureRound = ReadonlyMap<number, WorkerFigures | null>;

export interface Totals {
  /** Requests served by every worker this arbiter ever had; never goes down. */
  readonly requests: number;
  readonly inFlight: number;
  readonly exits: Readonly<Record<ExitCause, number>>;
}

/**
 * The arbiter's book of worker figures: asks every live worker in one IPC round trip each, bounded
 * by a timeout, and keeps the requests of exited workers so that totals never go backwards when a
 * worker is replaced (a counter that resets makes a rate spike). Concurrent askers share one round.
 */
export class FigureBook {
  private nextId = 1;
  private readonly waiting = new Map<number, (figures: WorkerFigures) => void>();
  /** The latest figures each live worker gave, asked or at its exit. */
  private readonly latest = new Map<number, WorkerFigures>();
  private exitedRequests = 0;
  /**
   * The request metrics (metrics_bind) of exited workers, as they last gave them: summed into every
   * scrape so that counters never go down. Compacted into one entry by each scrape.
   */
  private retiredMetrics: MetricsJson[] = [];
  private readonly exits = Object.fromEntries(exitCauses.map((cause) => [cause, 0])) as Record<ExitCause, number>;
  private round: Promise<FigureRound> | null = null;

  constructor(private readonly timeoutMs = FIGURES_TIMEOUT_MS) {}

  /** A `stats` message from a worker: an answer, or its final figures. */
  record(worker: WorkerProcess, message: FiguresMessage): void {
    const { requests, inFlight, rss, loopDelay, metrics } = message;
    const figures = { requests, inFlight, rss, loopDelay, ...(metrics === undefined ? {} : { metrics }) };
    this.latest.set(worker.pid, figures);
    this.waiting.get(message.id)?.(figures);
  }

  /** A reaped worker: its requests move to the exited total, its exit is counted by cause. */
  recordExit(worker: WorkerProcess, verdict: ExitVerdict): void {
    const last = this.latest.get(worker.pid);
    this.exitedRequests += last?.requests ?? 0;
    if (last?.metrics) this.retiredMetrics.push(last.metrics);
    this.latest.delete(worker.pid);
    this.exits[exitCause(worker, verdict)] += 1;
  }

  /** Asks each live worker once; a round already under way is shared rather than asked again. */
  collect(workers: Iterable<WorkerProcess>): Promise<FigureRound> {
    this.round ??= this.ask([...workers].filter((worker) => worker.exitStatus === null)).finally(() => {
      this.round = null;
    });
    return this.round;
  }

  /**
   * The workers of `round` not reaped since: a worker that exits after answering is already in the
   * exited figures, and counting its answer too would make a total jump, then fall back at the next
   * round. (Every answer is kept in `latest` until the exit is recorded.)
   */
  private stillLive(round: FigureRound): [number, WorkerFigures | null][] {
    return [...round].filter(([pid, figures]) => figures === null || this.latest.has(pid));
  }

  /** Totals over exited workers and `round` (a silent worker counts with its latest figures). */
  totals(round: FigureRound): Totals {
    let requests = this.exitedRequests;
    let inFlight = 0;
    for (const [pid, figures] of this.stillLive(round)) {
      requests += (figures ?? this.latest.get(pid))?.requests ?? 0;
      inFlight += figures?.inFlight ?? 0;
    }
    return { requests, inFlight, exits: { ...this.exits } };
  }

  /**
   * The request metrics to sum for a scrape: those of exited workers, then each worker of `round`
   * (a silent one with the last it gave).
   */
  metricsOf(round: FigureRound): MetricsJson[] {
    const live = this.stillLive(round).map(([pid, figures]) => (figures ?? this.latest.get(pid))?.metrics);
    return [...this.retiredMetrics, ...live.filter((metrics) => metrics !== undefined)];
  }

  /**
   * Replaces the exited workers' metrics `summed` by their sum, if they still lead the list: a
   * concurrent scrape may have compacted them already, and replacing by count would then drop the
   * metrics of a worker that exited in between.
   */
  compactRetired(sum: MetricsJson, summed: readonly MetricsJson[]): void {
    if (!summed.every((metrics, index) => this.retiredMetrics[index] === metrics)) return;
    this.retiredMetrics = [sum, ...this.retiredMetrics.slice(summed.length)];
  }

  get retiredCount(): number {
    return this.retiredMetrics.length;
  }

  private async ask(workers: readonly WorkerProcess[]): Promise<FigureRound> {
    const answers = await Promise.all(workers.map(async (worker) => [worker.pid, await this.askOne(worker)] as const));
    return new Map(answers);
  }

  private askOne(worker: WorkerProcess): Promise<WorkerFigures | null> {
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        finish(null);
      }, this.timeoutMs);
      const finish = (figures: WorkerFigures | null): void => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(figures);
      };
      this.waiting.set(id, finish);
      worker.askFigures(id);
      // A worker that exits meanwhile never answers: no need to wait for the timeout.
      void worker.exited.then(() => {
        finish(this.latest.get(worker.pid) ?? null);
      });
    });
  }
}

/** The cause an exit is counted under (a stop of the whole server is not counted). */
export function exitCause(worker: Pick<WorkerProcess, 'departure' | 'replaceBecause' | 'retiredFor' | 'stoppingFor'>, verdict: ExitVerdict): ExitCause {
  if (verdict.kind === 'boot-failure') return 'boot';
  if (worker.departure === 'killed') return 'timeout';
  if (verdict.kind === 'crash') return 'crash';
  if (worker.replaceBecause === 'max_worker_memory') return 'memory';
  if (worker.retiredFor === 'reload') return 'reload';
  if (worker.stoppingFor === 'max_requests') return 'max_requests';
  return 'other';
}
