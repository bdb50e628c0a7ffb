import { fstatSync } from 'node:fs';
import { BindError } from '../errors.js';
import { arbiterListener } from './arbiter-listener.js';
import type { OwnedListener } from './arbiter-listener.js';
import type { BindAddress } from './bind-address.js';
import { bindErrorFor } from './bind-errors.js';
import { openFdHandle, tcpSocketName } from './server-handle.js';
import type { ServerHandle } from './server-handle.js';

/** Where an inherited fd was named: `--bind fd://N`, or systemd's LISTEN_FDS. */
export type FdOrigin = 'bind' | 'systemd' | 'upgrade';

const ORIGIN_NOTE: Readonly<Record<FdOrigin, string>> = {
  bind: '',
  systemd: ' (systemd LISTEN_FDS)',
  upgrade: ' (inherited from the old arbiter, GU_FD)',
};

/**
 * Adopts an inherited socket. The listener then owns the fd: closing it closes the fd. An fd the
 * user named keeps its `fd://N` address; one systemd passed is known by its real TCP address (the
 * user wrote no address for it), as in Gunicorn's "Listening at" line.
 */
export function listenerFromFd(fd: number, origin: FdOrigin = 'bind'): OwnedListener {
  requireSocket(fd, origin);
  const handle = openFdHandle(fd);
  if (typeof handle === 'number') throw bindErrorFor({ kind: 'fd', fd }, handle);
  return arbiterListener(addressOf(fd, handle, origin), handle);
}

function addressOf(fd: number, handle: ServerHandle, origin: FdOrigin): BindAddress {
  const name = origin === 'systemd' ? tcpSocketName(handle) : null;
  return name ? { kind: 'tcp', host: name.address, port: name.port } : { kind: 'fd', fd };
}

function requireSocket(fd: number, origin: FdOrigin): void {
  let isSocket = false;
  try {
    isSocket = fstatSync(fd).isSocket();
  } catch {
    // EBADF: nothing open at that number; reported below like any non-socket.
  }
  // Checked here because Node would also wrap a pipe or a FIFO, which cannot accept connections.
  if (!isSocket) throw new BindError(`fd://${fd}${ORIGIN_NOTE[origin]} is not an open socket`);
}

/**
 * Adopts a socket inherited from the arbiter that started this one (USR2), known by the bind value
 * it was bound for: a reload or the new settings keep it when `bind` still names it.
 */
export function listenerFromUpgradeFd(fd: number, asked: BindAddress): OwnedListener {
  requireSocket(fd, 'upgrade');
  const handle = openFdHandle(fd);
  if (typeof handle === 'number') throw bindErrorFor({ kind: 'fd', fd }, handle);
  return arbiterListener(asked, handle, true);
}
