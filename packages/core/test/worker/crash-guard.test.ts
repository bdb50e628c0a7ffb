import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logging/logger.js';
import { CrashGuard } from '../../src/worker/crash-guard.js';

/** A logger that keeps each record as `LEVEL message`. */
function memoryLogger(): Logger & { records: string[] } {
  const records: string[] = [];
  const keep = (level: string) => (message: string): void => { records.push(`${level} ${message}`); };
  return {
    records,
    debug: keep('DEBUG'),
    info: keep('INFO'),
    warning: keep('WARNING'),
    error: keep('ERROR'),
    critical: keep('CRITICAL'),
    exception: (message) => { records.push(`ERROR ${message}`); },
    reopen: () => undefined,
    close: () => Promise.resolve(),
  };
}

function guard(booted: boolean): { guard: CrashGuard; log: ReturnType<typeof memoryLogger>; stops: string[]; bootFailures: unknown[] } {
  const log = memoryLogger();
  const stops: string[] = [];
  const bootFailures: unknown[] = [];
  const crashGuard = new CrashGuard(log, {
    booted: () => booted,
    failBoot: (error) => { bootFailures.push(error); },
    stop: (why) => { stops.push(why); },
  });
  return { guard: crashGuard, log, stops, bootFailures };
}

describe('CrashGuard', () => {
  it('before ready, hands the error to the boot-failure path and stops nothing', () => {
    const { guard: g, stops, bootFailures } = guard(false);
    const error = new Error('early');
    g.onCrash(error, 'uncaughtException');
    expect(bootFailures).toEqual([error]);
    expect(stops).toEqual([]);
    expect(g.crashed).toBe(false);
  });

  it('after ready, logs the first crash and asks for a graceful stop, once', () => {
    const { guard: g, log, stops } = guard(true);
    g.onCrash(new Error('late'), 'unhandledRejection');
    expect(g.crashed).toBe(true);
    expect(stops).toEqual(['unhandled rejection']);
    expect(log.records[0]).toMatch(/^ERROR Unhandled promise rejection in worker \(pid:\d+\)/);
    g.onCrash(new Error('again'), 'uncaughtException');
    expect(stops).toHaveLength(1);
    expect(log.records[1]).toBe('ERROR Uncaught exception while stopping after a crash');
  });

  it('does not flood the log when crashes keep coming while it drains', () => {
    const { guard: g, log } = guard(true);
    for (let i = 0; i < 1000; i += 1) g.onCrash(new Error(`crash ${i}`), 'uncaughtException');
    expect(log.records).toHaveLength(12);
    expect(log.records.at(-1)).toBe('ERROR Further uncaught exceptions are not logged');
  });
});
