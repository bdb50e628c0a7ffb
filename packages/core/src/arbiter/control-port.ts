import { createHash } from 'node:crypto';
import { GuError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import { monotonicSeconds } from '../worker/monotonic-clock.js';
import { ActionQueue, type ActionHandlers, type ControlAction } from '../control/actions.js';
import type { ArbiterPort, WorkerView } from '../control/arbiter-port.js';
import { FigureBook } from './figure-book.js';
import type { TcpListen } from '../metrics/listen-backlog.js';
import type { ArbiterListener } from '../sockets/arbiter-listener.js';
import type { Generations } from './generations.js';
import type { SignalQueue } from './signal-queue.js';
import type { Wakeup } from './wakeup.js';
import type { WorkerProcess } from './worker-process.js';

/** What the arbiter lends its control port: reads of its state at the moment they are made, and its levers. */
export interface ArbiterState {
  readonly log: Logger;
  readonly generations: Pick<Generations, 'settings' | 'current' | 'listeners'>;
  target(): number;
  setTarget(workers: number): void;
  /** What HUP does. */
  reload(): unknown;
  readonly workers: ReadonlyMap<number, WorkerProcess>;
  /** Its signal queue: a stop signal (TERM, INT, QUIT) has arrived, handled or not. */
  readonly signals: Pick<SignalQueue, 'stopRequested'>;
}

/**
 * The arbiter's side of `gu ctl` and the health endpoints: the worker figures, the queue of
 * commands its loop runs, and the port the control socket and the health listener use.
 */
export class ArbiterControl {
  readonly figures = new FigureBook();
  private readonly actions: ActionQueue;
  private readonly handlers: ActionHandlers;
  readonly startedAt = monotonicSeconds();
  readonly port: ArbiterPort;

  constructor(
    private readonly wakeup: Wakeup,
    state: ArbiterState,
  ) {
    this.actions = new ActionQueue(wakeup);
    this.handlers = actionHandlers(state);
    this.port = controlPort(state, this);
  }

  /** Seconds since the arbiter's loop (or its stop, which sleeps the same way) last woke. */
  loopAge(): number {
    return monotonicSeconds() - this.wakeup.lastWoke;
  }

  /** Runs the oldest waiting command; false when none waits. */
  runNextAction(): Promise<boolean> {
    return this.actions.runNext(this.handlers);
  }

  enqueue(action: ControlAction): Promise<unknown> {
    return this.actions.push(action);
  }

  /** The arbiter stops: commands are refused from now on. */
  stopping(): void {
    this.actions.close('gu is stopping');
  }
}

function controlPort(state: ArbiterState, control: ArbiterControl): ArbiterPort {
  const live = (): WorkerProcess[] => [...state.workers.values()].filter((worker) => worker.exitStatus === null).sort((a, b) => a.age - b.age);
  return {
    status: () => ({
      pid: process.pid,
      uptime: round(monotonicSeconds() - control.startedAt),
      settingsDigest: settingsDigest(state.generations.settings),
      generation: state.generations.current,
      workers: live().length,
      target: state.target(),
      stopping: state.signals.stopRequested,
    }),
    workers: () => live().map(workerView),
    figures: async () => {
      const round = await control.figures.collect(live());
      return { round, totals: control.figures.totals(round) };
    },
    prometheus: async () => {
      const workers = live();
      const book = control.figures;
      const round = await book.collect(workers);
      const retiredCount = book.retiredCount;
      const input = { round, totals: book.totals(round), requestMetrics: book.metricsOf(round), workers: workers.length, listeners: tcpListens(state.generations.listeners) };
      // prom-client is loaded at the first scrape: an arbiter without metrics_bind never pays for it.
      const { renderPrometheus } = await import('../metrics/prometheus-exposition.js');
      const { text, retiredSum } = await renderPrometheus(input, retiredCount);
      if (retiredSum) book.compactRetired(retiredSum, input.requestMetrics.slice(0, retiredCount));
      return text;
    },
    perform: (action) => control.enqueue(action),
    loopAge: () => control.loopAge(),
    stopping: () => state.signals.stopRequested,
    ready: () => !state.signals.stopRequested && live().some((worker) => worker.ready && worker.serving),
  };
}

/** The arbiter's TCP listeners, for `gu_listen_backlog`. */
function tcpListens(listeners: readonly ArbiterListener[]): TcpListen[] {
  return listeners.flatMap(({ address, display }) => (address.kind === 'tcp' ? [{ listener: display, port: address.port }] : []));
}

function actionHandlers(state: ArbiterState): ActionHandlers {
  return {
    reload: async () => {
      state.log.info('Handling control command: reload');
      await state.reload();
      return { generation: state.generations.current };
    },
    scale: ({ workers }) => {
      const previous = state.target();
      state.setTarget(workers);
      state.log.info(`Target number of workers now ${workers} (control command)`);
      return { previous, target: workers };
    },
    kill: ({ pid }) => {
      const worker = state.workers.get(pid);
      if (!worker?.serving) throw new GuError('GU_ERR_CTL_REFUSED', `refused: pid ${pid} is not a serving worker of this arbiter`);
      state.log.info(`Stopping worker (pid:${pid}) (control command)`);
      worker.retire('SIGTERM');
      return { pid, signal: 'SIGTERM' };
    },
  };
}

function workerView(worker: WorkerProcess): WorkerView {
  const now = monotonicSeconds();
  return {
    pid: worker.pid,
    age: worker.age,
    generation: worker.generation,
    uptime: round(now - worker.spawnedAt),
    ready: worker.ready,
    serving: worker.serving,
    lastBeat: round(now - worker.lastBeat()),
  };
}

/** Seconds to the millisecond. */
function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function settingsDigest(settings: Settings): string {
  return createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 12);
}
