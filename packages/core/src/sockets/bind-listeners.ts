import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { arbiterListener } from './arbiter-listener.js';
import type { ArbiterListener, OwnedListener } from './arbiter-listener.js';
import type { BindAddress } from './bind-address.js';
import { bindErrorFor } from './bind-errors.js';
import { listenerFromFd } from './fd-listener.js';
import { bindPipeHandle, bindTcpHandle, startListening, tcpSocketName } from './server-handle.js';
import { prepareUnixSocketPath } from './unix-socket-file.js';

export type { ArbiterListener } from './arbiter-listener.js';

export interface BindOptions {
  /** listen(2) backlog: how many connections the kernel queues while every worker is busy or restarting. */
  readonly backlog: number;
}

interface Bound {
  readonly asked: BindAddress;
  readonly listener: OwnedListener;
}

/**
 * Binds every address once, for the arbiter's whole life, and puts the sockets in the listening
 * state with `backlog` without ever accepting on them (see server-handle.ts). All or nothing: when
 * one address fails, those already bound are closed and a BindError (exit code 5) names the address
 * and the reason, in Gunicorn's words where it has some (`Connection in use: 127.0.0.1:8000`).
 */
export async function bindListeners(addresses: readonly BindAddress[], options: BindOptions): Promise<ArbiterListener[]> {
  const bound: Bound[] = [];
  try {
    for (const asked of addresses) bound.push({ asked, listener: await bindOne(asked) });
    requireListening(bound, options.backlog);
    return bound.map(({ listener }) => listener);
  } catch (error) {
    for (const { listener } of bound) listener.close();
    throw error;
  }
}

function bindOne(address: BindAddress): Promise<OwnedListener> {
  switch (address.kind) {
    case 'tcp':
      return bindTcp(address);
    case 'unix':
      return bindUnix(address);
    case 'fd':
      return Promise.resolve(listenerFromFd(address.fd));
  }
}

async function bindTcp(address: Extract<BindAddress, { kind: 'tcp' }>): Promise<OwnedListener> {
  const { ip, family } = await resolveHost(address);
  const handle = bindTcpHandle(ip, family, address.port);
  if (typeof handle === 'number') throw bindErrorFor(address, handle);
  // libuv defers EADDRINUSE to listen(); the socket is left unbound, so its port tells.
  const boundPort = tcpSocketName(handle)?.port ?? 0;
  if (address.port !== 0 && boundPort !== address.port) {
    handle.close();
    throw bindErrorFor(address, 'EADDRINUSE');
  }
  return arbiterListener(address, handle);
}

async function resolveHost(address: Extract<BindAddress, { kind: 'tcp' }>): Promise<{ ip: string; family: 4 | 6 }> {
  const literal = net.isIP(address.host);
  if (literal === 4 || literal === 6) return { ip: address.host, family: literal };
  try {
    // IPv4 first, as Gunicorn binds host names: `localhost:8000` must not end up on ::1 only.
    const found = await lookup(address.host, { order: 'ipv4first' });
    return { ip: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (error) {
    const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'ENOTFOUND';
    throw bindErrorFor(address, code, { cause: error });
  }
}

async function bindUnix(address: Extract<BindAddress, { kind: 'unix' }>): Promise<OwnedListener> {
  await prepareUnixSocketPath(address.path);
  const handle = bindPipeHandle(address.path);
  if (typeof handle === 'number') throw bindErrorFor(address, handle);
  return arbiterListener(address, handle);
}

function requireListening(bound: readonly Bound[], backlog: number): void {
  const results = startListening(
    bound.map(({ listener }) => listener.handle),
    backlog,
  );
  const failed = results.findIndex((errno) => errno !== 0);
  const culprit = bound[failed];
  if (culprit) throw bindErrorFor(culprit.asked, results[failed] ?? 0);
}
