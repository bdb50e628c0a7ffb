import type { FigureRound, Totals } from '../arbiter/figure-book.js';
import type { ControlAction } from './actions.js';

/** The arbiter as `status` reports it. */
export interface ArbiterStatus {
  readonly pid: number;
  /** Seconds since the arbiter started (monotonic). */
  readonly uptime: number;
  /** The first 12 hex digits of the SHA-256 of the settings in force: two arbiters agree iff they run the same settings. */
  readonly settingsDigest: string;
  /** The reload generation (1 at start, +1 per successful reload). */
  readonly generation: number;
  /** Live workers, and the number the arbiter keeps. */
  readonly workers: number;
  readonly target: number;
  readonly stopping: boolean;
}

/** One worker as the arbiter knows it without asking it. */
export interface WorkerView {
  readonly pid: number;
  readonly age: number;
  readonly generation: number;
  /** Seconds since it was forked. */
  readonly uptime: number;
  readonly ready: boolean;
  /** False once it was asked to stop or said it stops (it then drains). */
  readonly serving: boolean;
  /** Seconds since its last heartbeat. */
  readonly lastBeat: number;
}

/**
 * The narrow view of the arbiter that the control socket and the health listener get: what they
 * read, and `perform` for what they change (enqueued onto the arbiter's loop, never run by them).
 */
export interface ArbiterPort {
  status(): ArbiterStatus;
  workers(): readonly WorkerView[];
  /** Asks every live worker for its figures (one IPC round trip each, bounded by a timeout). */
  figures(): Promise<{ readonly round: FigureRound; readonly totals: Totals }>;
  /** The Prometheus text of `/metrics` (metrics_bind): one figures round, summed with what exited workers counted. */
  prometheus(): Promise<string>;
  perform(action: ControlAction): Promise<unknown>;
  /** Seconds since the arbiter's loop last turned. */
  loopAge(): number;
  /** A stop signal (TERM, INT, QUIT) has arrived, handled by the loop or not yet. */
  stopping(): boolean;
  /** At least one worker is ready and not draining, and no stop signal has arrived. */
  ready(): boolean;
}
