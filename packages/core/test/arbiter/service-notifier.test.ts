import { describe, expect, it } from 'vitest';
import { notifySocketAddress } from '../../src/arbiter/notify-socket.js';
import { ServiceNotifier } from '../../src/arbiter/service-notifier.js';
import type { Logger } from '../../src/logging/logger.js';

const silent: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  critical: () => undefined,
  exception: () => undefined,
  reopen: () => undefined,
  close: () => Promise.resolve(),
};

describe('notifySocketAddress', () => {
  it('reads a path, an abstract @name, and ignores anything else as sd_notify does', () => {
    expect(notifySocketAddress('/run/systemd/notify')).toBe('/run/systemd/notify');
    expect(notifySocketAddress('@gu/notify')).toBe('\0gu/notify');
    expect(notifySocketAddress('relative/notify')).toBeNull();
    expect(notifySocketAddress('@')).toBeNull();
    expect(notifySocketAddress(undefined)).toBeNull();
  });
});

describe('ServiceNotifier', () => {
  it('takes NOTIFY_SOCKET and the watchdog variables out of the environment workers inherit', () => {
    const env: NodeJS.ProcessEnv = { NOTIFY_SOCKET: 'not-a-socket', WATCHDOG_USEC: '1000000', WATCHDOG_PID: '1', KEEP: 'yes' };
    const notifier = ServiceNotifier.fromEnvironment(env, silent, () => ({ workers: [], generation: 1 }));
    expect(env).toEqual({ KEEP: 'yes' });
    // Without a socket every notification is a no-op.
    notifier.workerReady(1);
    notifier.reloading();
    notifier.reloaded();
    notifier.stopping();
    notifier.close();
  });
});
