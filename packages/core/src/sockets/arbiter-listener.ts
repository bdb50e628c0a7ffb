import { formatBindAddress } from './bind-address.js';
import type { BindAddress } from './bind-address.js';
import type { ServerHandle } from './server-handle.js';
import { tcpSocketName } from './server-handle.js';
import { removeSocketFile } from './unix-socket-file.js';

export interface CloseOptions {
  /**
   * Leave a unix socket's file in place: a new arbiter started by USR2 serves on it. The handle is
   * then left open (libuv would unlink the file on close) and ends with this process.
   */
  readonly keepFile?: boolean;
}

/**
 * A listening socket owned by the arbiter for its whole life. The arbiter never accepts on it: it
 * sends `handle` to each worker (see send-handle.ts), which listens on and accepts from its own copy.
 */
export interface ArbiterListener {
  /** What was bound; for TCP the real host and port (the port the kernel chose when 0 was asked). */
  readonly address: BindAddress;
  /**
   * The bind value as asked (`http://127.0.0.1:0`, `unix:/run/gu.sock`): a reload keeps a listener
   * whose key is still in `bind`, and a new arbiter (USR2) adopts the inherited ones by it.
   */
  readonly key: string;
  /** How logs show it: `http://127.0.0.1:8000`, `unix:/run/gu.sock`, `fd://3`. */
  readonly display: string;
  /** The raw TCP/Pipe handle to pass as the second argument of `child.send`. */
  readonly handle: unknown;
  /** The socket's file descriptor in this process (passed on to a new arbiter by USR2). */
  readonly fd: number;
  /** Closes the arbiter's copy; for a unix socket it owns, also removes the file. Idempotent. */
  close(options?: CloseOptions): void;
}

/** The listener as the sockets module holds it: the handle's internal shape is known here. */
export interface OwnedListener extends ArbiterListener {
  readonly handle: ServerHandle;
}

/**
 * Wraps a bound handle; a TCP address gets the real host and port the socket is bound to.
 * `adoptedFile`: a unix socket inherited as an fd (USR2), whose file libuv does not know it must
 * remove on close: this arbiter now owns it and removes it itself.
 */
export function arbiterListener(asked: BindAddress, handle: ServerHandle, adoptedFile = false): OwnedListener {
  const address = asked.kind === 'tcp' ? realAddress(asked, handle) : asked;
  let open = true;
  return {
    address,
    key: formatBindAddress(asked),
    display: formatBindAddress(address),
    handle,
    fd: handle.fd,
    close(options = {}) {
      if (!open) return;
      if (options.keepFile && address.kind === 'unix') return;
      open = false;
      // For a unix socket bound here, libuv unlinks the file as part of closing the handle.
      handle.close();
      if (adoptedFile && address.kind === 'unix') removeSocketFile(address.path);
    },
  };
}

function realAddress(address: BindAddress, handle: ServerHandle): BindAddress {
  const name = tcpSocketName(handle);
  return name ? { kind: 'tcp', host: name.address, port: name.port } : address;
}
