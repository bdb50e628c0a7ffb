import { fork } from 'node:child_process';
import type { ChildProcess, ForkOptions } from 'node:child_process';
import net from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { ArbiterListener } from '../../src/sockets/bind-listeners.js';

export const fixtures = join(import.meta.dirname, '../fixtures/sockets');

/** A message a fixture child sends: `{ event: 'ready' | 'listening' | 'closed' | 'error', … }`. */
export interface ChildMessage {
  readonly event: string;
  readonly [key: string]: unknown;
}

const started: ChildProcess[] = [];

/** Forks a fixture of test/fixtures/sockets and waits for its first message. */
export async function startChild(
  script: string,
  args: readonly string[] = [],
  options: ForkOptions = {},
): Promise<{ child: ChildProcess; first: ChildMessage }> {
  const child = fork(join(fixtures, script), args, { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...options });
  started.push(child);
  const first = await nextMessage(child);
  return { child, first };
}

/** The child's next IPC message; rejects if it exits first. */
export function nextMessage(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      child.off('exit', onExit);
      resolve(message as ChildMessage);
    };
    const onExit = (code: number | null, signal: string | null): void => {
      child.off('message', onMessage);
      reject(new Error(`child ${String(child.pid)} exited (${String(code ?? signal)}) before answering`));
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Kills `child` by pid with SIGKILL and waits until it is gone. */
export async function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** For afterEach: kills every child started by this test file that is still running. */
export async function killAllChildren(): Promise<void> {
  await Promise.all(started.splice(0).map(killChild));
}

/** Where to connect: a TCP port on 127.0.0.1, a unix socket path, or any host and port. */
export type Target = number | string | { readonly host: string; readonly port: number };

function connectOptions(target: Target): net.NetConnectOpts {
  if (typeof target === 'number') return { host: '127.0.0.1', port: target };
  return typeof target === 'string' ? { path: target } : target;
}

/** Connects and resolves once the connection is established. */
export function connect(target: Target): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(connectOptions(target));
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Everything a connected socket receives until the peer ends it, as the pid a fixture answers with. */
export function readPid(socket: net.Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.once('end', () => {
      resolve(Number(text.trim()));
    });
    socket.once('error', reject);
  });
}

/** Connects and returns the pid of whoever served the connection. */
export async function servedBy(target: Target): Promise<number> {
  return readPid(await connect(target));
}

/** The connect error code (e.g. ECONNREFUSED), or null when the connection was established. */
export async function connectError(target: Target): Promise<string | null> {
  try {
    (await connect(target)).destroy();
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'unknown';
  }
}

/** Listeners, servers and folders a test file opens, released (with every child) after each test. */
export function releasedAfterEach(): { open: ArbiterListener[]; servers: net.Server[]; folders: string[] } {
  const resources = { open: [] as ArbiterListener[], servers: [] as net.Server[], folders: [] as string[] };
  afterEach(async () => {
    await killAllChildren();
    for (const listener of resources.open.splice(0)) listener.close();
    for (const server of resources.servers.splice(0)) server.close();
    await Promise.all(resources.folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });
  return resources;
}
