import net from 'node:net';
import { chmodSync } from 'node:fs';
import { GuError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { ArbiterPort } from './arbiter-port.js';
import { runCommand } from './commands.js';
import { answerLine, MAX_REQUEST_BYTES, parseRequest } from './protocol.js';
import { prepareControlSocketPath, removeIfOurs, socketInode } from './socket-path.js';

/** A client that sends nothing for this long (between requests, not while one runs) is told so and closed. */
const IDLE_TIMEOUT_MS = 5000;
/** Connections served at once; more are each answered one error line and closed. */
const MAX_CLIENTS = 16;
const SOCKET_MODE = 0o600;
/** After a last error line, what the client still sends is read and dropped this long, then it is cut. */
const LINGER_MS = 2000;
const NEWLINE = 0x0a;

/**
 * The control socket (Gunicorn 25.1's, for `gu ctl`): a unix socket owned by the arbiter, mode
 * 0600, serving JSON lines (see protocol.ts). Bound once for the arbiter's life — a reload (HUP)
 * does not touch it, so it cannot leak a socket per reload as Gunicorn's did (#3648).
 */
export class ControlServer {
  private port: ArbiterPort | null = null;
  private readonly clients = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private readonly path: string,
    private readonly inode: number | null,
    private readonly log: Logger,
  ) {
    server.on('connection', (socket) => {
      this.serve(socket);
    });
    server.on('error', (error) => {
      log.error(`Control socket ${path}: ${error.message}`);
    });
  }

  /** Checks the path (GU_ERR_CONTROL_SOCKET, exit 2) and binds it; `takeOver` after USR2. */
  static async open(path: string, log: Logger, takeOver: boolean): Promise<ControlServer> {
    await prepareControlSocketPath(path, takeOver);
    const server = net.createServer({ allowHalfOpen: false });
    await listenPrivately(server, path);
    log.info(`Control socket at: ${path}`);
    return new ControlServer(server, path, socketInode(path), log);
  }

  /** From now on requests are answered from `port` (before that: refused, the arbiter is starting). */
  attach(port: ArbiterPort): void {
    this.port = port;
  }

  /** Stops listening, hangs up on every client and removes the socket file if it is still ours. */
  close(): void {
    this.server.close();
    for (const client of this.clients) client.destroy();
    removeIfOurs(this.path, this.inode);
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
    throw new GuError('GU_ERR_CONTROL_SOCKET', `control_socket (--control-socket): cannot listen on ${JSON.stringify(path)}: ${(error as Error).message}`);
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
