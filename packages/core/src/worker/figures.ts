import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import type { LoopDelay, WorkerFigures } from './protocol.js';

/** The loop delay reported is that of the last full window of this length (the current one at first). */
const LOOP_DELAY_WINDOW_MS = 10_000;
/** The histogram's sampling timer: fine enough to see a 20 ms stall, cheap enough to leave on. */
const LOOP_DELAY_RESOLUTION_MS = 20;

/** What the worker counts for `stats?`: requests counted as they start, in-flight read on demand. */
export class FigureCounter {
  private requests = 0;
  private readonly histogram: ELDHistogram;
  private lastWindow: LoopDelay | null = null;
  private readonly windowTimer: NodeJS.Timeout;

  /** `inFlight` is asked only when figures are: nothing is tracked per request for it. */
  constructor(private readonly inFlight: () => number) {
    this.histogram = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
    this.histogram.enable();
    this.windowTimer = setInterval(() => {
      this.lastWindow = loopDelayOf(this.histogram);
      this.histogram.reset();
    }, LOOP_DELAY_WINDOW_MS);
    this.windowTimer.unref();
  }

  countRequest(): void {
    this.requests += 1;
  }

  figures(): WorkerFigures {
    return {
      requests: this.requests,
      inFlight: this.inFlight(),
      rss: process.memoryUsage.rss(),
      loopDelay: this.lastWindow ?? loopDelayOf(this.histogram),
    };
  }

  stop(): void {
    clearInterval(this.windowTimer);
    this.histogram.disable();
  }
}

const NS_PER_MS = 1e6;

/** What loopDelayOf reads of perf_hooks' histogram (nanoseconds). */
export type DelaySamples = Pick<ELDHistogram, 'count' | 'mean' | 'max' | 'percentile'>;

/**
 * Milliseconds, rounded to the microsecond; 0 before the histogram holds a sample (its min/max are
 * then sentinels). Node records the time between two ticks of its sampling timer, the timer's own
 * interval included (an idle loop reads ~20 ms at a 20 ms resolution): the delay is what exceeds it.
 */
export function loopDelayOf(histogram: DelaySamples, resolutionMs = LOOP_DELAY_RESOLUTION_MS): LoopDelay {
  if (histogram.count === 0) return { mean: 0, p99: 0, max: 0 };
  const ms = (ns: number): number => Math.round(Math.max(0, ns / NS_PER_MS - resolutionMs) * 1000) / 1000;
  return { mean: ms(histogram.mean), p99: ms(histogram.percentile(99)), max: ms(histogram.max) };
}
