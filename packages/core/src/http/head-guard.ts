import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestListener } from '../app/types.js';
import type { Logger } from '../logging/logger.js';
import { failedCheck } from './request-checks.js';
import { rejectRequest } from './reject-request.js';

/** Set on a connection once a head on it was rejected. */
const REJECTED = Symbol('gu.rejectedHead');
interface MarkedSocket extends Socket {
  [REJECTED]?: true;
}

/**
 * Wraps `handler` so that a request whose head fails one of the request checks never reaches it
 * (nor the request hooks): the client gets a 400 with `Connection: close`, since what follows the
 * head (a body framed one way or another) cannot be trusted to delimit the next request. For the
 * same reason, requests node:http has already parsed after it on that connection (pipelined in the
 * same packet) never reach the app either: the connection closes once the 400 is written.
 */
export function guardHead(handler: RequestListener, log: Logger): RequestListener {
  return (req, res) => {
    const socket = req.socket as MarkedSocket;
    // Left unanswered: node:http queues its response behind the 400 and drops it on close.
    if (socket[REJECTED]) return;
    if (!isInvalidHead(req, log)) {
      handler(req, res);
      return;
    }
    socket[REJECTED] = true;
    // Lingers (reject-request.ts): a client still sending the refused request's body reads the 400.
    rejectRequest(res, 400);
  };
}

/**
 * Whether `req`'s head fails a request check (request-checks.ts), logged when it does; upgrade
 * requests (upgrade-path.ts) are judged by it too. Gunicorn logs invalid requests at debug level:
 * they are the client's fault, and noisy under scans.
 */
export function isInvalidHead(req: IncomingMessage, log: Logger): boolean {
  const failed = failedCheck(req);
  if (failed === undefined) return false;
  log.debug(`Invalid request from ip=${req.socket.remoteAddress ?? '-'}: ${failed.name}`);
  return true;
}
