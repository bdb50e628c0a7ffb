/**
 * The one place where a worker uses Node internals on listening sockets.
 *
 * A worker receives a raw TCP or Pipe handle from the arbiter (over the IPC channel) and must listen
 * on and accept from that copy. `server.listen(handle)` accepts only TCP handles, so this does what
 * node:cluster does with a handle it was given: set `server._handle` and call `_listen2`
 * (setupListenHandle), which "in the case of a server sent via IPC" uses the handle as is — listen(2)
 * with `backlog`, then libuv accepts into the server's 'connection' event, honouring its options
 * (`noDelay`, `pauseOnConnect`, …). `server.close()` later closes this process's copy only.
 */
import type net from 'node:net';
import { WorkerBootError } from '../errors.js';

interface ServerInternals {
  _handle: unknown;
  _listen2(address: string | null, port: number, addressType: number, backlog: number): void;
}

interface ListenableHandle {
  readonly fd: number;
  listen(backlog: number): number;
  close(): void;
}

/**
 * Listens on and accepts from `handle` (as received from the arbiter) with `server`. Resolves on
 * 'listening'; rejects with the listen error (the server is then left closed) or a WorkerBootError
 * when `handle` is not a TCP/Pipe handle or the server already listens.
 */
export function listenOnHandle(server: net.Server, handle: unknown, backlog: number): Promise<void> {
  if (!isListenableHandle(handle)) {
    return Promise.reject(new WorkerBootError('listener handle from the arbiter is not a TCP or Pipe handle'));
  }
  if (server.listening) return Promise.reject(new WorkerBootError('server already listens; close it first'));
  return new Promise((resolve, reject) => {
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    server.once('listening', onListening);
    server.once('error', onError);
    const internals = server as unknown as ServerInternals;
    internals._handle = handle;
    internals._listen2(null, -1, -1, backlog);
  });
}

function isListenableHandle(value: unknown): value is ListenableHandle {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof ListenableHandle, unknown>>;
  return typeof candidate.fd === 'number' && typeof candidate.listen === 'function' && typeof candidate.close === 'function';
}

/** Closes a copy received from the arbiter that was never listened on (a spare): only this process's fd. */
export function closeListenerHandle(handle: unknown): void {
  if (isListenableHandle(handle)) handle.close();
}
