/**
 * The one place where a worker stops and restarts accepting on a listening socket without closing
 * its copy of it (libuv internals, through Node's stream handle).
 *
 * Closing the copy stops accepting too, but then resuming needs a fresh copy from the arbiter: a
 * handle sent over IPC costs the arbiter about 330 µs of CPU and the worker about 110 µs (measured
 * here, 2,700 copies/s at most), far more than a hello-world request. The sync worker pauses after
 * every connection, so it needs a pause that costs a system call, not a round trip.
 *
 * How it works: libuv polls a listening handle's fd through the same I/O watcher a connected stream
 * reads through, with `uv__server_io` as its callback. `uv_read_start` on it sets the READING flag
 * and starts that watcher (already started: no change), `uv_read_stop` clears the flag and stops the
 * watcher: no more `accept(2)` until `uv_read_start` starts it again. Connections meanwhile wait in
 * the kernel backlog, where another worker accepts them. libuv accepts one connection per poll
 * (since libuv#3696, 2022: every Node gu supports), so a pause from inside the 'connection' handler
 * leaves the next one queued.
 * `uv_read_start` refuses (ENOTCONN) a handle libuv did not mark readable: handles received over
 * IPC (how every gu worker gets its copies) and `listen({ fd })` are; a socket the process bound
 * itself is not. Then `pauseAccepting` answers false and the caller closes its copy instead.
 *
 * test/sockets/handoff.test.ts pins this on real worker processes.
 */
import type net from 'node:net';

interface StreamHandle {
  readStart(): number;
  readStop(): number;
}

/** libuv's UV_EALREADY: the handle is already "reading", i.e. polled for connections. */
const UV_EALREADY = -114;

function handleOf(server: net.Server): StreamHandle | null {
  const handle = (server as unknown as { _handle?: unknown })._handle;
  if (typeof handle !== 'object' || handle === null) return null;
  const candidate = handle as Partial<Record<keyof StreamHandle, unknown>>;
  if (typeof candidate.readStart !== 'function' || typeof candidate.readStop !== 'function') return null;
  return handle as StreamHandle;
}

/**
 * Stops `server` (listening on a copy received from the arbiter) from accepting, keeping its copy
 * open. False when this handle cannot be paused so: the caller must close the copy instead.
 */
export function pauseAccepting(server: net.Server): boolean {
  const handle = handleOf(server);
  if (!handle) return false;
  const started = handle.readStart();
  if (started !== 0 && started !== UV_EALREADY) return false;
  return handle.readStop() === 0;
}

/** Accepts again on a copy paused by {@link pauseAccepting}. False if libuv refused. */
export function resumeAccepting(server: net.Server): boolean {
  const handle = handleOf(server);
  if (!handle) return false;
  const started = handle.readStart();
  return started === 0 || started === UV_EALREADY;
}
