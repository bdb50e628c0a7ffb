import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * RFC 9112 9.6: once a response says `Connection: close` (the server's choice, or the client's
 * own `close`), the server "MUST NOT process any further requests received on that connection".
 * node:http still parses requests pipelined behind it and emits them, and then closes the
 * connection without answering them: the app would run requests no client ever sees answered
 * (under the sync worker, whose every response closes, any second pipelined request). This
 * remembers which connections are closing so that the front can leave those requests out.
 */
export class LastRequests {
  private readonly closing = new WeakSet<Socket>();

  /** Call with each request once its response's keep-alive is decided. */
  markIfLast(req: IncomingMessage, res: ServerResponse): void {
    // req.socket, not res.socket: a pipelined response gets its socket only when its turn comes.
    if (!res.shouldKeepAlive) this.closing.add(req.socket);
  }

  /** Whether `req` was pipelined behind a response that closes its connection. */
  isAfterLast(req: IncomingMessage): boolean {
    return this.closing.has(req.socket);
  }
}
