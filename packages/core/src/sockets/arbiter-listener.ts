import { formatBindAddress } from './bind-address.js';
import type { BindAddress } from './bind-address.js';
import type { ServerHandle } from './server-handle.js';
import { tcpSocketName } from './server-handle.js';

/**
 * A listening socket owned by the arbiter for its whole life. The arbiter never accepts on it: it
 * sends `handle` to each worker (see send-handle.ts), which listens on and accepts from its own copy.
 */
export interface ArbiterListener {
  /** What was bound; for TCP the real host and port (the port the kernel chose when 0 was asked). */
  readonly address: BindAddress;
  /** How logs show it: `http://127.0.0.1:8000`, `unix:/run/gu.sock`, `fd://3`. */
  readonly display: string;
  /** The raw TCP/Pipe handle to pass as the second argument of `child.send`. */
  readonly handle: unknown;
  /** Closes the arbiter's copy; for a unix socket it created, also removes the file. Idempotent. */
  close(): void;
}

/** The listener as the sockets module holds it: the handle's internal shape is known here. */
export interface OwnedListener extends ArbiterListener {
  readonly handle: ServerHandle;
}

/** Wraps a bound handle; a TCP address gets the real host and port the socket is bound to. */
export function arbiterListener(asked: BindAddress, handle: ServerHandle): OwnedListener {
  const address = asked.kind === 'tcp' ? realAddress(asked, handle) : asked;
  let open = true;
  return {
    address,
    display: formatBindAddress(address),
    handle,
    close() {
      if (!open) return;
      open = false;
      // For a unix socket bound here, libuv unlinks the file as part of closing the handle.
      handle.close();
    },
  };
}

function realAddress(address: BindAddress, handle: ServerHandle): BindAddress {
  const name = tcpSocketName(handle);
  return name ? { kind: 'tcp', host: name.address, port: name.port } : address;
}
