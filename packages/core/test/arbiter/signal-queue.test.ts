import { describe, expect, it } from 'vitest';
import { SignalQueue, signalName } from '../../src/arbiter/signal-queue.js';
import { Wakeup } from '../../src/arbiter/wakeup.js';

describe('SignalQueue', () => {
  it('keeps at most five pending signals, as Gunicorn, but never drops a stop signal', () => {
    const queue = new SignalQueue(new Wakeup());
    for (let i = 0; i < 8; i += 1) queue.push('SIGTTIN');
    queue.push('SIGTERM');
    queue.push('SIGTERM');
    queue.push('SIGINT');
    const drained = [];
    for (let signal = queue.next(); signal; signal = queue.next()) drained.push(signal);
    expect(drained).toEqual(['SIGTTIN', 'SIGTTIN', 'SIGTTIN', 'SIGTTIN', 'SIGTTIN', 'SIGTERM', 'SIGINT']);
  });

  it('wakes the loop on each signal', async () => {
    const wakeup = new Wakeup();
    const queue = new SignalQueue(wakeup);
    const slept = wakeup.sleep(10_000);
    queue.push('SIGHUP');
    await slept;
    expect(queue.next()).toBe('SIGHUP');
  });

  it('names signals as Gunicorn logs them', () => {
    expect(signalName('SIGWINCH')).toBe('winch');
  });
});
