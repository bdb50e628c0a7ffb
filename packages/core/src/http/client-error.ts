import type { Duplex } from 'node:stream';
import { isHeld } from './chunked-hold.js';
import { responseBytesSent, responseOnConnection } from './node-http-internals.js';

/** What node:http answers to a parse error by its code (its defaults, which a listener replaces). */
const ANSWERS: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: '413 Payload Too Large',
  ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout',
};

/**
 * The server's `clientError` listener: node:http's default answer to a parse error, except for data
 * pipelined after a request that ends the connection (`Connection: close`, or HTTP/1.0 without
 * keep-alive). llhttp reports that data as an error, and node's default answers 400 and destroys the
 * socket, losing the answer the app is still writing to that last request. Gunicorn stops reading
 * there; so does gu: the extra bytes are ignored and the connection ends once the answer is written.
 */
export function onClientError(error: Error & { code?: string }, socket: Duplex): void {
  const inFlight = responseOnConnection(socket);
  if (error.code === 'HPE_CLOSED_CONNECTION' && inFlight && !inFlight.writableFinished) return;
  if (answered.has(socket)) return;
  // As node:http does: answer only where no byte of a response has gone out on this connection.
  if (!socket.writable || (inFlight && responseBytesSent(inFlight))) {
    socket.destroy(error);
    return;
  }
  const answer = `HTTP/1.1 ${ANSWERS[error.code ?? ''] ?? '400 Bad Request'}\r\nConnection: close\r\n\r\n`;
  // A request the app is reading (a bad chunk in its body) must see the error now: cut at once.
  // One still held from the app (chunked-hold.ts) has no reader: it lingers like the rest.
  if (inFlight && !isHeld(inFlight)) {
    socket.write(answer);
    socket.destroy(error);
    return;
  }
  answered.add(socket);
  answerAndLinger(socket, answer);
}

/** Connections already answered: the bytes a client still sends raise more parse errors, not more answers. */
const answered = new WeakSet<Duplex>();
/** How long a refused client may go on sending before its connection is cut (as lingerOnClose). */
const LINGER_MS = 2000;

/**
 * Writes the answer and half-closes, discarding what the client still sends: destroying at once
 * would reset a connection whose client is still writing (a request sent in pieces), and a reset
 * can discard the answer before the client reads it. The connection ends when the client closes
 * its side, or after LINGER_MS.
 */
function answerAndLinger(socket: Duplex, answer: string): void {
  socket.removeAllListeners('data');
  socket.on('data', () => undefined);
  socket.end(answer);
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once('close', () => {
    clearTimeout(timer);
  });
}
