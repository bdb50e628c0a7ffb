// Shared by the fetch adapter's tests: a real node:http server on 127.0.0.1 port 0 serving an
// adapted fetch app, a log that records what the adapter reports, and raw HTTP over net sockets.
import http from 'node:http';
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { adaptFetchApp, type AdaptedApp, type FetchAdaptOptions } from '../src/index.js';
import type { AdapterLog } from '../src/types.js';

export interface RecordingLog extends AdapterLog {
  readonly exceptions: { message: string; error: unknown }[];
  readonly warnings: string[];
}

export function recordingLog(): RecordingLog {
  const exceptions: { message: string; error: unknown }[] = [];
  const warnings: string[] = [];
  return {
    exceptions,
    warnings,
    info: () => undefined,
    warning: (message) => warnings.push(message),
    error: () => undefined,
    exception: (message, error) => exceptions.push({ message, error }),
  };
}

export interface Served {
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  readonly adapted: AdaptedApp;
  readonly log: RecordingLog;
}

const servers = new Set<http.Server>();

/**
 * The listener as gu's worker classes run it: the promise it returns is awaited, and a rejection is
 * logged and answered, a 500 or, once the head is out, a cut connection (core's guardHandler).
 */
function guarded(listener: AdaptedApp['listener'], log: AdapterLog): http.RequestListener {
  const run = listener as unknown as (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | undefined;
  return (req, res) => {
    run(req, res)?.catch((error: unknown) => {
      log.exception(`Error handling request ${req.method ?? '-'} ${req.url ?? '-'} (from the listener's promise)`, error);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { connection: 'close' }).end();
    });
  };
}

/** Serves `app` through adaptFetchApp (with a recording log unless `options.log` is given). */
export async function serve(app: unknown, options: FetchAdaptOptions = {}): Promise<Served> {
  const log = recordingLog();
  const adapted = adaptFetchApp(app, { log, ...options });
  const server = http.createServer(guarded(adapted.listener, options.log ?? log));
  servers.add(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, server, adapted, log };
}

/** For afterEach: closes every server serve() started, cutting connections left open. */
export async function closeServers(): Promise<void> {
  await Promise.all(
    [...servers].map((server) => {
      servers.delete(server);
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    }),
  );
}

/** Sends `request` (raw bytes) on a new connection and resolves with everything the server sent until it closed. */
export async function rawExchange(port: number, request: string): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.end(request);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

/** A promise with its resolve function, for an app to report what it saw. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

/** Records when each body chunk arrives; the one in @gu/testkit, for this package's tests. */
export { timedRequest, type TimedResponse } from '@gu/testkit';
