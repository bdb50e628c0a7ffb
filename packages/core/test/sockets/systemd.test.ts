import { describe, expect, it } from 'vitest';
import { BindError } from '../../src/errors.js';
import { listenersFromSystemd, systemdListenFds } from '../../src/sockets/systemd.js';

const PID = 4242;

describe('systemd socket activation', () => {
  it('is not active when LISTEN_PID names another process, and leaves the variables alone', () => {
    const env = { LISTEN_PID: '1', LISTEN_FDS: '2', PATH: '/bin' };
    expect(systemdListenFds(env, PID)).toBeNull();
    expect(listenersFromSystemd(env, PID)).toBeNull();
    expect(env).toEqual({ LISTEN_PID: '1', LISTEN_FDS: '2', PATH: '/bin' });
  });

  it('is not active without LISTEN_PID, or with a LISTEN_PID that is not a number', () => {
    expect(systemdListenFds({ LISTEN_FDS: '1' }, PID)).toBeNull();
    expect(systemdListenFds({ LISTEN_PID: `${PID}x`, LISTEN_FDS: '1' }, PID)).toBeNull();
  });

  it('counts LISTEN_FDS fds from 3 and removes the variables so workers do not see them', () => {
    const env = { LISTEN_PID: String(PID), LISTEN_FDS: '3', LISTEN_FDNAMES: 'a:b:c', PATH: '/bin' };
    expect(systemdListenFds(env, PID)).toEqual([3, 4, 5]);
    expect(env).toEqual({ PATH: '/bin' });
  });

  it('is not active with LISTEN_FDS=0 (or missing), but still cleans up', () => {
    const env = { LISTEN_PID: String(PID), LISTEN_FDS: '0' };
    expect(systemdListenFds(env, PID)).toBeNull();
    expect(env).toEqual({});
    expect(systemdListenFds({ LISTEN_PID: String(PID) }, PID)).toBeNull();
  });

  it('rejects a LISTEN_FDS that is not a count', () => {
    expect(() => systemdListenFds({ LISTEN_PID: String(PID), LISTEN_FDS: 'two' }, PID)).toThrow(BindError);
    expect(() => systemdListenFds({ LISTEN_PID: String(PID), LISTEN_FDS: '-1' }, PID)).toThrow(/LISTEN_FDS="-1"/);
  });
});
