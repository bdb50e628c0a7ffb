import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loopDelayOf } from '../../src/worker/figures.js';

const fakeSamples = (ns: { mean: number; p99: number; max: number }) => ({ count: 10, mean: ns.mean, max: ns.max, percentile: () => ns.p99 });

describe('loopDelayOf', () => {
  it("pins Node's histogram: an idle loop's samples are the sampling interval itself", async () => {
    const histogram = monitorEventLoopDelay({ resolution: 20 });
    histogram.enable();
    await sleep(300);
    histogram.disable();
    // What gu must not report as delay: every sample is at least about the 20 ms interval.
    expect(histogram.min / 1e6).toBeGreaterThan(15);
    expect(loopDelayOf(histogram, 20).mean).toBeLessThan(15);
  });

  it('reports what exceeds the sampling interval, in milliseconds, never below 0', () => {
    expect(loopDelayOf(fakeSamples({ mean: 25e6, p99: 30.5e6, max: 120e6 }), 20)).toEqual({ mean: 5, p99: 10.5, max: 100 });
    expect(loopDelayOf(fakeSamples({ mean: 19.5e6, p99: 19.9e6, max: 19.9e6 }), 20)).toEqual({ mean: 0, p99: 0, max: 0 });
    expect(loopDelayOf({ count: 0, mean: Number.NaN, max: 0, percentile: () => 0 }, 20)).toEqual({ mean: 0, p99: 0, max: 0 });
  });
});
