import { describe, expect, it } from 'vitest';
import { CrashBackoff } from '../../src/arbiter/crash-backoff.js';

describe('CrashBackoff', () => {
  it('replaces a first crash at once, then doubles the wait from 0.5 s up to 30 s', () => {
    const backoff = new CrashBackoff();
    const delays = Array.from({ length: 10 }, (_, i) => backoff.record(100 + i, 0.3));
    expect(delays).toEqual([0, 0.5, 1, 2, 4, 8, 16, 30, 30, 30]);
    expect(backoff.crashes).toBe(10);
  });

  it('starts a new streak after a worker that lived 30 s', () => {
    const backoff = new CrashBackoff();
    backoff.record(0, 1);
    backoff.record(1, 1);
    expect(backoff.record(100, 45)).toBe(0);
    expect(backoff.crashes).toBe(1);
  });

  it('tells how long the next spawn must wait, from a monotonic time', () => {
    const backoff = new CrashBackoff();
    backoff.record(10, 1);
    expect(backoff.waitAt(10)).toBe(0);
    backoff.record(10, 1);
    expect(backoff.waitAt(10.2)).toBeCloseTo(0.3);
    expect(backoff.waitAt(11)).toBe(0);
  });
});
