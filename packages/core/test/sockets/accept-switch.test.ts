import net from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { bindListeners, type ArbiterListener } from '../../src/sockets/bind-listeners.js';
import { sendWithHandle } from '../../src/sockets/send-handle.js';
import { pauseAccepting, resumeAccepting } from '../../src/sockets/accept-switch.js';
import { connect, killAllChildren, nextMessage, readPid, servedBy, startChild } from './children.js';

// Pins the libuv behaviour accept-switch.ts relies on, on copies received over IPC as gu's workers
// receive them: the test process plays the arbiter (binds, never accepts), children are workers.
const open: ArbiterListener[] = [];
afterEach(async () => {
  await killAllChildren();
  for (const listener of open.splice(0)) listener.close();
});

async function bindLoopback(): Promise<{ listener: ArbiterListener; port: number }> {
  const [listener] = await bindListeners([{ kind: 'tcp', host: '127.0.0.1', port: 0 }], { backlog: 64 });
  open.push(listener!);
  if (listener!.address.kind !== 'tcp') throw new Error('expected a TCP address');
  return { listener: listener!, port: listener!.address.port };
}

async function startWorker(listener: ArbiterListener): Promise<ChildProcess> {
  const { child } = await startChild('listen-child.js');
  const answer = nextMessage(child);
  await sendWithHandle(child, { cmd: 'listen', backlog: 64 }, listener.handle);
  expect(await answer).toEqual({ event: 'listening' });
  return child;
}

async function command(worker: ChildProcess, cmd: 'pause' | 'resume'): Promise<unknown> {
  const answer = nextMessage(worker);
  worker.send({ cmd });
  return answer;
}

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
