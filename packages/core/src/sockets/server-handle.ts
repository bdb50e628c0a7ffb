/**
 * The one place where the arbiter uses Node internals on listening sockets.
 *
 * Node has no public way to bind a socket without accepting on it: `server.listen()` both binds and
 * starts libuv's accept loop, and the arbiter must never accept (workers do, on their copies of the
 * handle). node:cluster creates its shared handles with `net._createServerHandle`, which only binds;
 * we do the same. The raw TCP/Pipe wrap it returns is what `child.send(message, handle)` transmits.
 *
 * Binding is not enough though: until someone calls listen(2) the kernel refuses connections, and
 * on Linux two sockets with SO_REUSEADDR may both bind the same port as long as neither listens (so
 * a second gu would not see "address in use"). Gunicorn's arbiter calls listen(backlog) at once. A
 * libuv listen here would also start accepting, so a short-lived helper process listens on inherited
 * copies of the fds and exits before its event loop ever runs: listening state belongs to the
 * socket, not to the descriptor, and the arbiter keeps it alive. From then on connections wait in the
 * kernel backlog until a worker accepts them.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';

/** The parts of Node's internal TCP/Pipe wrap the arbiter uses. */
export interface ServerHandle {
  readonly fd: number;
  close(): void;
  /** TCP only: fills `out` with the bound address, returns 0 or a negative errno. */
  getsockname?: (out: Partial<SocketName>) => number;
}

export interface SocketName {
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
  readonly port: number;
}

/** A negative libuv errno (e.g. UV_EADDRINUSE), as `_createServerHandle` returns on failure. */
export type Errno = number;

type CreateServerHandle = (
  address: string | null,
  port: number,
  addressType: number | undefined,
  fd?: number,
  flags?: number,
) => ServerHandle | Errno;

const createServerHandle = (net as unknown as { _createServerHandle: CreateServerHandle })._createServerHandle;

/** Creates a TCP handle bound to `ip:port`. EADDRINUSE shows only at listen time (libuv defers it). */
export function bindTcpHandle(ip: string, family: 4 | 6, port: number): ServerHandle | Errno {
  return createServerHandle(ip, port, family);
}

/** Creates a unix-socket handle bound to `path`; libuv unlinks the file when this handle closes. */
export function bindPipeHandle(path: string): ServerHandle | Errno {
  return createServerHandle(path, -1, -1);
}

/** Wraps an inherited socket fd; the handle then owns the fd (closing it closes the fd). */
export function openFdHandle(fd: number): ServerHandle | Errno {
  // Port must be falsy here: Node asserts `!address && !port` when an fd is given.
  return createServerHandle(null, 0, undefined, fd);
}

/** The address a TCP handle is bound to, or null for a unix socket (Pipe handles cannot tell). */
export function tcpSocketName(handle: ServerHandle): SocketName | null {
  if (typeof handle.getsockname !== 'function') return null;
  const out: Partial<SocketName> = {};
  const err = handle.getsockname(out);
  if (err !== 0 || out.address === undefined || out.port === undefined || out.family === undefined) return null;
  return { address: out.address, family: out.family, port: out.port };
}

/** Runs in the helper: listen(2) on fds 3.. and report each result, then exit before any accept. */
const LISTEN_SCRIPT = `
const net = require('node:net');
const [count, backlog] = process.argv.slice(1).map(Number);
const results = [];
for (let i = 0; i < count; i++) {
  const handle = net._createServerHandle(null, 0, undefined, 3 + i);
  results.push(typeof handle === 'number' ? handle : handle.listen(backlog));
}
process.stdout.write(JSON.stringify(results));
process.exit(0);
`;

const HELPER_TIMEOUT_MS = 30_000;

/**
 * Puts every handle in the listening state with `backlog`, without accepting in this process.
 * Returns one result per handle: 0, or the negative errno listen(2) failed with.
 */
export function startListening(handles: readonly ServerHandle[], backlog: number): Errno[] {
  if (handles.length === 0) return [];
  const env = { ...process.env };
  // The helper must be a bare node: no preloaded loaders or inspector from the user's options.
  delete env.NODE_OPTIONS;
  const result = spawnSync(process.execPath, ['-e', LISTEN_SCRIPT, String(handles.length), String(backlog)], {
    stdio: ['ignore', 'pipe', 'pipe', ...handles.map((handle) => handle.fd)],
    env,
    timeout: HELPER_TIMEOUT_MS,
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`listen helper exited with ${String(result.status ?? result.signal)}: ${result.stderr.trim()}`);
  }
  return parseResults(result.stdout, handles.length);
}

function parseResults(stdout: string, expected: number): Errno[] {
  const parsed: unknown = JSON.parse(stdout);
  if (!isErrnoList(parsed) || parsed.length !== expected) throw new Error(`listen helper answered ${JSON.stringify(stdout)}`);
  return parsed;
}

function isErrnoList(value: unknown): value is Errno[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}
