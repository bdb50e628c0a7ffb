import type { ServerResponse } from 'node:http';

const REASONS: Readonly<Record<number, string>> = {
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Answers a request the app never got to finish with a short plain-text status and
 * `Connection: close` (how much of its body was read is unknown); if the response had already
 * started, the connection is cut instead, so a client cannot take a truncated body for a whole one.
 */
export function answerInstead(res: ServerResponse, status: 503 | 504, headers: Readonly<Record<string, string>> = {}): void {
  if (res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `${REASONS[status]}\n`;
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}
