import net from 'node:net';
import { chmodSync } from 'node:fs';
import { GuError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { ArbiterPort } from './arbiter-port.js';
import { runCommand } from './commands.js';
import { answerLine, MAX_REQUEST_BYTES, parseRequest } from './protocol.js';
import { prepareControlSocketPath, unusable } from './socket-path.js';

/** A client that sends nothing for this long (between requests, not while one runs) is told so and closed. */
const IDLE_TIMEOUT_MS = 5000;
/** Connections served at once; more are each answered one error line and closed. */
const MAX_CLIENTS = 16;
const SOCKET_MODE = 0o600;
/** After a last error line, what the client still sends is read and dropped this long, then it is cut. */
const LINGER_MS = 2000;
const NEWLINE = 0x0a;
/** After USR2 the old arbiter keeps the path until it exits: the new one looks again this often. */
const RETRY_MS = 500;

/**
 * The control socket (Gunicorn 25.1's, for `gu ctl`): a unix socket owned by the arbiter, mode
 * 0600, serving JSON lines (see protocol.ts). Bound once for the arbiter's life — a reload (HUP)
 * does not touch it, so it cannot leak a socket per reload as Gunicorn's did (#3648). Closing it
 * removes the file (libuv unlinks a pipe's path when its handle closes).
 */
export class ControlServer {
  private port: ArbiterPort | null = null;
  private readonly clients = new Set<net.Socket>();
  private retry: NodeJS.Timeout | null = null;

  private constructor(
    private readonly server: net.Server,
    private readonly path: string,
    private readonly log: Logger,
  ) {
    server.on('connection', (socket) => {
      this.serve(socket);
    });
    server.on('error', (error) => {
      log.error(`Control socket ${path}: ${error.message}`);
    });
  }

  /**
   * Checks the path (GU_ERR_CONTROL_SOCKET, exit 2: a live gu listens there) and binds it.
   * `waitForOld`: a new arbiter after USR2, whose parent still listens on the path; it binds once
   * the old arbiter has exited (and, closing its socket, removed the file).
   */
  static async open(path: string, log: Logger, waitForOld: boolean): Promise<ControlServer> {
    const control = new ControlServer(net.createServer({ allowHalfOpen: false }), path, log);
    if ((await prepareControlSocketPath(path)) === 'free') {
      await control.listen();
    } else if (waitForOld) {
      log.info(`control_socket: ${path} is still the old arbiter's; taking it when it exits`);
      control.retryListen();
    } else {
      throw unusable(path, 'a running gu already listens on it (gu ctl status tells which)');
    }
    return control;
  }

  /** From now on requests are answered from `port` (before that: refused, the arbiter is starting). */
  attach(port: ArbiterPort): void {
    this.port = port;
  }

  /** Stops listening (which removes the socket file) and hangs up on every client. */
  close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.server.close();
    for (const client of this.clients) client.destroy();
  }

  private async listen(): Promise<void> {
    await listenPrivately(this.server, this.path);
    this.log.info(`Control socket at: ${this.path}`);
  }

  private retryListen(): void {
    this.retry = setTimeout(() => {
      void prepareControlSocketPath(this.path)
        .then((state) => (state === 'free' ? this.listen() : this.retryListen()))
        .catch((error: unknown) => {
          this.log.error(error instanceof Error ? error.message : String(error));
        });
    }, RETRY_MS);
    this.retry.unref();
  }

  private serve(socket: net.Socket): void {
    socket.on('error', () => undefined);
    if (this.clients.size >= MAX_CLIENTS) {
      hangUp(socket, new GuError('GU_ERR_CTL_REFUSED', `refused: ${MAX_CLIENTS} control clients already connected`));
      return;
    }
    this.clients.add(socket);
    socket.once('close', () => this.clients.delete(socket));
    socket.setTimeout(IDLE_TIMEOUT_MS, () => {
      hangUp(socket, new GuError('GU_ERR_CTL_REQUEST', `request: none came within ${IDLE_TIMEOUT_MS / 1000} s`));
    });
    let buffered: Buffer = Buffer.alloc(0);
    let busy = false;
    // One request at a time per client: the next line is read once the last one is answered.
    const next = (): void => {
      if (busy || socket.destroyed) return;
      const end = buffered.indexOf(NEWLINE);
      if (end === -1) {
        if (buffered.length > MAX_REQUEST_BYTES) {
          hangUp(socket, new GuError('GU_ERR_CTL_REQUEST', `request: longer than ${MAX_REQUEST_BYTES} bytes without a newline`));
        }
        return;
      }
      const line = buffered.subarray(0, end).toString('utf8');
      buffered = buffered.subarray(end + 1);
      busy = true;
      socket.pause();
      socket.setTimeout(0);
      void this.answer(line).then((reply) => {
        busy = false;
        if (socket.destroyed || socket.writableEnded) return;
        socket.write(reply);
        socket.setTimeout(IDLE_TIMEOUT_MS);
        socket.resume();
        next();
      });
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      next();
    });
  }

  private async answer(line: string): Promise<string> {
    try {
      const request = parseRequest(line);
      if (!this.port) throw new GuError('GU_ERR_CTL_REFUSED', 'refused: the arbiter is still starting');
      return answerLine({ result: await runCommand(this.port, request.command, request.args) });
    } catch (error) {
      if (!(error instanceof GuError)) this.log.exception('Control command failed', error);
      return answerLine({ error });
    }
  }
}

/**
 * Binds with a umask that leaves the file 0600 from its creation (node binds a pipe within the
 * listen() call), so there is no moment another user could connect; chmod then makes sure.
 */
async function listenPrivately(server: net.Server, path: string): Promise<void> {
  const listening = new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const umask = process.umask(0o177);
  try {
    server.listen(path);
  } finally {
    process.umask(umask);
  }
  await listening.catch((error: unknown) => {
    throw unusable(path, `cannot listen on it: ${(error as Error).message}`);
  });
  chmodSync(path, SOCKET_MODE);
}

/**
 * Answers `error` and closes: our side ends at once, what the client still sends is read and dropped
 * (closing with unread bytes would reset the connection and could lose the answer), for LINGER_MS.
 */
function hangUp(socket: net.Socket, error: GuError): void {
  socket.removeAllListeners('data');
  socket.setTimeout(0);
  socket.on('data', () => undefined);
  socket.resume();
  socket.end(answerLine({ error }));
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
