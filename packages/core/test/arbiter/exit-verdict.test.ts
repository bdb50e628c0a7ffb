import { describe, expect, it } from 'vitest';
import { exitVerdict, type ExitingWorker } from '../../src/arbiter/exit-verdict.js';
import type { Departure } from '../../src/arbiter/worker-process.js';

interface Case {
  readonly ready: boolean;
  readonly departure: Departure | null;
  readonly bootTimedOut?: boolean;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly verdict: string;
}

// What each way of ending means to the arbiter (see exit-verdict.ts).
const cases: Record<string, Case> = {
  'exit 4 (app failed to load)': { ready: false, departure: null, code: 4, signal: null, verdict: 'boot-failure' },
  'exit 3 after ready (a worker class that says so)': { ready: true, departure: null, code: 3, signal: null, verdict: 'boot-failure' },
  'killed for boot_timeout': { ready: false, departure: null, bootTimedOut: true, code: null, signal: 'SIGKILL', verdict: 'boot-failure' },
  'exit 1 before ready': { ready: false, departure: null, code: 1, signal: null, verdict: 'boot-failure' },
  'SIGKILL from outside before ready': { ready: false, departure: null, code: null, signal: 'SIGKILL', verdict: 'boot-failure' },
  'exit 0 before ready (a TERM sent to it directly)': { ready: false, departure: null, code: 0, signal: null, verdict: 'done' },
  'retired by the arbiter': { ready: true, departure: 'retired', code: 0, signal: null, verdict: 'done' },
  'retired, then killed after graceful_timeout': { ready: true, departure: 'retired', code: null, signal: 'SIGKILL', verdict: 'done' },
  'left by itself after max_requests': { ready: true, departure: 'leaving', code: 0, signal: null, verdict: 'done' },
  'left after an uncaught exception': { ready: true, departure: 'leaving', code: 1, signal: null, verdict: 'crash' },
  'killed for a silent heartbeat': { ready: true, departure: 'killed', code: null, signal: 'SIGKILL', verdict: 'crash' },
  'SIGSEGV while serving': { ready: true, departure: null, code: null, signal: 'SIGSEGV', verdict: 'crash' },
};

describe('exitVerdict', () => {
  for (const [name, { ready, departure, bootTimedOut = false, code, signal, verdict }] of Object.entries(cases)) {
    it(`${name}: ${verdict}`, () => {
      const worker: ExitingWorker = { pid: 42, ready, departure, bootTimedOut };
      expect(exitVerdict(worker, { code, signal }).kind).toBe(verdict);
    });
  }

  it('says what happened when a worker died before it was ready', () => {
    const worker: ExitingWorker = { pid: 42, ready: false, departure: null, bootTimedOut: false };
    expect(exitVerdict(worker, { code: null, signal: 'SIGKILL' })).toEqual({
      kind: 'boot-failure',
      reason: 'Worker failed to boot.',
      detail: 'Worker (pid:42) was killed by SIGKILL before it was ready.',
      exitCode: 3,
    });
  });
});
