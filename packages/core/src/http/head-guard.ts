import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestListener } from '../app/types.js';
import type { Logger } from '../logging/logger.js';
import { failedCheck } from './request-checks.js';

const BODY = 'Bad Request\n';

/**
 * Wraps `handler` so that a request whose head fails one of the request checks never reaches it
 * (nor the request hooks): the client gets a 400 with `Connection: close`, since what follows the
 * head (a body framed one way or another) cannot be trusted to delimit the next request.
 */
export function guardHead(handler: RequestListener, log: Logger): RequestListener {
  return (req, res) => {
    const failed = failedCheck(req);
    if (failed === undefined) {
      handler(req, res);
      return;
    }
    rejectHead(req, res, failed.name, log);
  };
}

function rejectHead(req: IncomingMessage, res: ServerResponse, reason: string, log: Logger): void {
  // Gunicorn logs invalid requests at debug level: they are the client's fault, and noisy under scans.
  log.debug(`Invalid request from ip=${req.socket.remoteAddress ?? '-'}: ${reason}`);
  res.shouldKeepAlive = false;
  res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(BODY) });
  res.end(BODY);
}
