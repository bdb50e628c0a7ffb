import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bindListeners } from '../../src/sockets/bind-listeners.js';
import type { ArbiterListener } from '../../src/sockets/bind-listeners.js';
import { sendWithHandle } from '../../src/sockets/send-handle.js';
import { pauseAccepting, resumeAccepting } from '../../src/sockets/accept-switch.js';
import { connect, connectError, killAllChildren, killChild, nextMessage, readPid, servedBy, startChild } from './children.js';

// The test process plays the arbiter: it binds, never accepts, and hands the socket to children.
const open: ArbiterListener[] = [];
afterEach(async () => {
  await killAllChildren();
  for (const listener of open.splice(0)) listener.close();
});

async function bindLoopback(): Promise<{ listener: ArbiterListener; port: number }> {
  const [listener] = await bindListeners([{ kind: 'tcp', host: '127.0.0.1', port: 0 }], { backlog: 64 });
  open.push(listener!);
  const { address } = listener!;
  if (address.kind !== 'tcp') throw new Error(`expected a TCP address, got ${address.kind}`);
  return { listener: listener!, port: address.port };
}

/** Starts a stand-in worker and gives it the listener, as the arbiter does. */
async function startWorker(listener: ArbiterListener): Promise<ChildProcess> {
  const { child } = await startChild('listen-child.js');
  const answer = nextMessage(child);
  await sendWithHandle(child, { cmd: 'listen', backlog: 64 }, listener.handle);
  expect(await answer).toEqual({ event: 'listening' });
  return child;
}

describe('handing the arbiter-bound socket to worker processes', () => {
  it('binds with the real port and a display address, and a worker that gets the handle serves it', async () => {
    const { listener, port } = await bindLoopback();
    expect(port).toBeGreaterThan(0);
    expect(listener.display).toBe(`http://127.0.0.1:${port}`);
    const worker = await startWorker(listener);
    expect(await servedBy(port)).toBe(worker.pid);
  });

  it('queues connections from bind on, before any worker listens (the arbiter never accepts)', async () => {
    const { listener, port } = await bindLoopback();
    const early = await connect(port);
    const worker = await startWorker(listener);
    expect(await readPid(early)).toBe(worker.pid);
  });

  it('serves several workers from one socket; each gets its own copy', async () => {
    const { listener, port } = await bindLoopback();
    const first = await startWorker(listener);
    const second = await startWorker(listener);
    const pids = new Set<number | undefined>();
    for (let attempt = 0; attempt < 100 && pids.size < 2; attempt++) pids.add(await servedBy(port));
    expect(pids).toEqual(new Set([first.pid, second.pid]));
  });

  const retire = {
    'closes its copy': async (worker: ChildProcess) => {
      const answer = nextMessage(worker);
      worker.send({ cmd: 'close' });
      expect(await answer).toEqual({ event: 'closed' });
    },
    'is killed': killChild,
  };

  it.each(Object.entries(retire))(
    'when the only worker %s, a client connecting meanwhile waits in the backlog for the next worker',
    async (_how, retireWorker) => {
      const { listener, port } = await bindLoopback();
      const first = await startWorker(listener);
      expect(await servedBy(port)).toBe(first.pid);
      await retireWorker(first);
      // Established, not refused: the socket still listens although no process accepts on it.
      const waiting = await connect(port);
      const next = await startWorker(listener);
      expect(await readPid(waiting)).toBe(next.pid);
      expect(next.pid).not.toBe(first.pid);
    },
  );

  it('refuses connections once the arbiter closes its listener and no worker holds a copy', async () => {
    const { listener, port } = await bindLoopback();
    expect(await connectError(port)).toBeNull();
    listener.close();
    expect(await connectError(port)).toBe('ECONNREFUSED');
  });
});

async function command(worker: ChildProcess, cmd: 'pause' | 'resume'): Promise<unknown> {
  const answer = nextMessage(worker);
  worker.send({ cmd });
  return answer;
}

// Pins the libuv behaviour accept-switch.ts relies on, on copies received over IPC as gu's workers
// receive them.
describe('pausing accept without closing the copy (accept-switch)', () => {
  it('a paused worker accepts nothing, its connections go to the other worker; resumed, it accepts again', async () => {
    const { listener, port } = await bindLoopback();
    const first = await startWorker(listener);
    const second = await startWorker(listener);
    expect(await command(first, 'pause')).toEqual({ event: 'paused', done: true });
    for (let i = 0; i < 20; i++) expect(await servedBy(port)).toBe(second.pid);
    expect(await command(second, 'pause')).toEqual({ event: 'paused', done: true });
    // Both paused: the connection is established and waits in the backlog until one resumes.
    const waiting = await connect(port);
    expect(await command(first, 'resume')).toEqual({ event: 'resumed', done: true });
    expect(await readPid(waiting)).toBe(first.pid);
    for (let i = 0; i < 20; i++) expect(await servedBy(port)).toBe(first.pid);
  });

  it('pausing twice and resuming twice are harmless', async () => {
    const { listener, port } = await bindLoopback();
    const worker = await startWorker(listener);
    expect(await command(worker, 'pause')).toEqual({ event: 'paused', done: true });
    expect(await command(worker, 'pause')).toEqual({ event: 'paused', done: true });
    expect(await command(worker, 'resume')).toEqual({ event: 'resumed', done: true });
    expect(await command(worker, 'resume')).toEqual({ event: 'resumed', done: true });
    expect(await servedBy(port)).toBe(worker.pid);
  });

  it('answers false for a socket the process bound itself (libuv refuses): the caller closes it instead', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(pauseAccepting(server)).toBe(false);
      expect(resumeAccepting(server)).toBe(false);
      expect(pauseAccepting(net.createServer())).toBe(false);
    } finally {
      server.close();
    }
  });
});
