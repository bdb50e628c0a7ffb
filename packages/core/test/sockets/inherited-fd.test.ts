import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindListeners } from '../../src/sockets/bind-listeners.js';
import type { ArbiterListener } from '../../src/sockets/bind-listeners.js';
import { killAllChildren, servedBy, startChild } from './children.js';
import type { ChildMessage } from './children.js';

// A child plays the arbiter that inherits a socket at fd 3, as from systemd or a supervisor.
const open: ArbiterListener[] = [];
const folders: string[] = [];
afterEach(async () => {
  await killAllChildren();
  for (const listener of open.splice(0)) listener.close();
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A listening socket of this process whose fd the child inherits; this process never accepts. */
async function inheritableSocket(): Promise<{ fd: number; port: number }> {
  const [listener] = await bindListeners([{ kind: 'tcp', host: '127.0.0.1', port: 0 }], { backlog: 64 });
  open.push(listener!);
  if (listener!.address.kind !== 'tcp') throw new Error('expected a TCP listener');
  return { fd: (listener!.handle as { fd: number }).fd, port: listener!.address.port };
}

function startInheritor(mode: 'fd' | 'systemd', fd: number, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; first: ChildMessage }> {
  return startChild('inherited-fd-child.js', [mode], {
    stdio: ['ignore', 'inherit', 'inherit', fd, 'ipc'],
    env: { ...process.env, ...env },
  });
}

describe('inherited sockets', () => {
  it('adopts fd://3, keeps that address in logs, and serves on it', async () => {
    const socket = await inheritableSocket();
    const { child, first } = await startInheritor('fd', socket.fd);
    expect(first).toMatchObject({ event: 'ready', listeners: [{ address: { kind: 'fd', fd: 3 }, display: 'fd://3' }] });
    expect(await servedBy(socket.port)).toBe(child.pid);
  });

  it('adopts systemd sockets (LISTEN_PID, LISTEN_FDS), shows their real address and cleans the environment', async () => {
    const socket = await inheritableSocket();
    const { child, first } = await startInheritor('systemd', socket.fd, { LISTEN_FDS: '1', LISTEN_FDNAMES: 'web' });
    expect(first).toEqual({
      event: 'ready',
      listeners: [
        {
          address: { kind: 'tcp', host: '127.0.0.1', port: socket.port },
          display: `http://127.0.0.1:${socket.port}`,
        },
      ],
      envLeft: [],
    });
    expect(await servedBy(socket.port)).toBe(child.pid);
  });

  it('refuses a systemd fd that is not a socket with a BindError naming it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'gu-fd-'));
    folders.push(folder);
    const fd = openSync(join(folder, 'plain.txt'), 'w');
    try {
      const { first } = await startInheritor('systemd', fd, { LISTEN_FDS: '1' });
      expect(first).toEqual({
        event: 'error',
        name: 'BindError',
        message: 'fd://3 (systemd LISTEN_FDS) is not an open socket',
        exitCode: 5,
      });
    } finally {
      closeSync(fd);
    }
  });
});
