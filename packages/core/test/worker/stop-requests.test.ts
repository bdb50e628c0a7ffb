import { afterEach, describe, expect, it } from 'vitest';
import { StopRequests } from '../../src/worker/stop-requests.js';

const signals = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;
const before = new Map(signals.map((signal) => [signal, process.listenerCount(signal)]));

afterEach(() => {
  // StopRequests listens on the process; take back what each test added.
  for (const signal of signals) {
    const listeners = process.listeners(signal);
    for (const listener of listeners.slice(before.get(signal))) process.removeListener(signal, listener);
  }
});

describe('StopRequests cause', () => {
  it('is null until a stop, then the first request’s cause, readable inside the abort', () => {
    const stops = new StopRequests();
    stops.handleWith(() => undefined);
    expect(stops.cause).toBeNull();
    let causeAtAbort: string | null = null;
    stops.signal.addEventListener('abort', () => (causeAtAbort = stops.cause));
    stops.request('graceful', 'arbiter: reload', 'reload');
    expect(stops.signal.reason).toBe('graceful');
    expect(causeAtAbort).toBe('reload');
    // The TERM that follows the arbiter's message changes nothing; a quick one escalates the mode only.
    stops.request('graceful', 'SIGTERM');
    stops.request('quick', 'SIGQUIT');
    expect(stops.cause).toBe('reload');
  });

  it('is shutdown for a signal', () => {
    const stops = new StopRequests();
    stops.handleWith(() => undefined);
    stops.request('graceful', 'SIGTERM');
    expect(stops.cause).toBe('shutdown');
  });
});
