import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BindError } from '../../src/errors.js';
import { bindListeners } from '../../src/sockets/bind-listeners.js';
import type { ArbiterListener } from '../../src/sockets/bind-listeners.js';
import { sendWithHandle } from '../../src/sockets/send-handle.js';
import { connect, killChild, nextMessage, readPid, releasedAfterEach, servedBy, startChild } from './children.js';

const { open, servers, folders } = releasedAfterEach();

async function socketPath(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gu-unix-'));
  folders.push(folder);
  return join(folder, 'gu.sock');
}

async function bindUnix(path: string): Promise<ArbiterListener> {
  const [listener] = await bindListeners([{ kind: 'unix', path }], { backlog: 64 });
  open.push(listener!);
  return listener!;
}

async function startWorker(listener: ArbiterListener): Promise<number | undefined> {
  const { child } = await startChild('listen-child.js');
  const answer = nextMessage(child);
  await sendWithHandle(child, { cmd: 'listen', backlog: 64 }, listener.handle);
  expect(await answer).toEqual({ event: 'listening' });
  return child.pid;
}

/** Leaves a socket file behind, as a process that dies without cleaning up does. */
async function leaveStaleSocket(path: string): Promise<void> {
  const script = "require('node:net').createServer().listen(process.argv[1], () => process.stdout.write('up'))";
  const owner = spawn(process.execPath, ['-e', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise((resolve, reject) => {
      owner.stdout.once('data', resolve);
      owner.once('exit', reject);
    });
  } finally {
    const exited = new Promise((resolve) => owner.once('exit', resolve));
    owner.kill('SIGKILL');
    await exited;
  }
}

describe('unix socket listeners', () => {
  it('is served by a worker, and the arbiter closing it removes the file', async () => {
    const path = await socketPath();
    const listener = await bindUnix(path);
    expect(listener.address).toEqual({ kind: 'unix', path });
    expect(listener.display).toBe(`unix:${path}`);
    expect(lstatSync(path).isSocket()).toBe(true);
    const pid = await startWorker(listener);
    expect(await servedBy(path)).toBe(pid);
    listener.close();
    expect(existsSync(path)).toBe(false);
  });

  it('keeps the file when a worker closes its copy or dies; the next worker serves who waited', async () => {
    const path = await socketPath();
    const listener = await bindUnix(path);
    const { child } = await startChild('listen-child.js');
    const answer = nextMessage(child);
    await sendWithHandle(child, { cmd: 'listen', backlog: 64 }, listener.handle);
    await answer;
    await killChild(child);
    expect(lstatSync(path).isSocket()).toBe(true);
    const waiting = await connect(path);
    const next = await startWorker(listener);
    expect(await readPid(waiting)).toBe(next);
  });

  it('removes a stale socket file left by a dead process, then binds', async () => {
    const path = await socketPath();
    await leaveStaleSocket(path);
    expect(lstatSync(path).isSocket()).toBe(true);
    const listener = await bindUnix(path);
    const pid = await startWorker(listener);
    expect(await servedBy(path)).toBe(pid);
  });

  it('refuses a socket someone listens on, and leaves it working', async () => {
    const path = await socketPath();
    const live = net.createServer((socket) => socket.end(`${process.pid}\n`));
    servers.push(live);
    await new Promise<void>((resolve) => live.listen(path, resolve));
    await expect(bindUnix(path)).rejects.toThrow(`Connection in use: unix:${path}`);
    expect(await servedBy(path)).toBe(process.pid);
  });

  it('refuses a path that exists and is not a socket, without touching it', async () => {
    const path = await socketPath();
    writeFileSync(path, 'precious');
    const failure = bindUnix(path);
    await expect(failure).rejects.toThrow(BindError);
    await expect(failure).rejects.toThrow(`unix:${path} exists and is not a socket`);
    expect(readFileSync(path, 'utf8')).toBe('precious');
  });

  it('names the missing directory', async () => {
    const path = join(await socketPath(), 'missing', 'gu.sock');
    await expect(bindUnix(path)).rejects.toThrow(/directory .*missing does not exist/);
  });
});
