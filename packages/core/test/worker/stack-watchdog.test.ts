import { describe, expect, it } from 'vitest';
import { BeatSlot } from '../../src/worker/beat-slot.js';
import { StackWatchdog, watchdogTimings } from '../../src/worker/stack-watchdog.js';
import type { Logger } from '../../src/logging/logger.js';

describe('watchdogTimings', () => {
  it('speaks a quarter of the timeout early, at most 1 s, and leaves a tenth of that for writing', () => {
    expect(watchdogTimings(2)).toEqual({ thresholdMs: 1500, captureTimeoutMs: 450 });
    expect(watchdogTimings(1)).toEqual({ thresholdMs: 750, captureTimeoutMs: 225 });
    expect(watchdogTimings(30)).toEqual({ thresholdMs: 29_000, captureTimeoutMs: 900 });
  });
});

describe('BeatSlot', () => {
  it('is unwatched (null) until the first beat, and shares the beat through its buffer', () => {
    const mainSide = new BeatSlot();
    const threadSide = new BeatSlot(mainSide.buffer);
    expect(threadSide.lastBeat()).toBeNull();
    const before = process.hrtime.bigint();
    mainSide.beat();
    expect(threadSide.lastBeat()).toBeGreaterThanOrEqual(before);
    mainSide.unwatch();
    expect(threadSide.lastBeat()).toBeNull();
  });
});

describe('StackWatchdog.start', () => {
  it('starts no thread when timeout is 0: there is no kill to explain', async () => {
    const log = { warning: () => undefined } as unknown as Logger;
    expect(await StackWatchdog.start({ errorlog: '-', logFormat: 'text', timeout: 0, log })).toBeNull();
  });
});
