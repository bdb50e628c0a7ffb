import type { IncomingMessage, ServerResponse } from 'node:http';
import { chunkSize, type Chunk, type Head, type Reply, type ResponsePart, type WireTask } from '../protocol.js';

/**
 * The task a request becomes, as it goes on the wire: its head and peer, no body (that streams once
 * the app reads it). Built as the tuple directly: no RequestTask object on the way (see protocol.ts).
 */
export function wireTask(id: number, req: IncomingMessage): WireTask {
  const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean; authorized?: boolean };
  return [id, req.method ?? 'GET', req.url ?? '/', req.httpVersion, req.rawHeaders, req.headers, hasBody(req.headers),
    socket.remoteAddress, socket.remotePort, socket.remoteFamily, socket.localAddress, socket.localPort, socket.encrypted === true,
    socket.authorized === true];
}

/** Whether a body follows the head: a Transfer-Encoding, or a Content-Length other than 0. */
function hasBody(headers: IncomingMessage['headers']): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function writeHead(res: ServerResponse, head: Head): void {
  if (head.statusMessage === undefined) res.writeHead(head.status, head.rawHeaders as string[]);
  else res.writeHead(head.status, head.statusMessage, head.rawHeaders as string[]);
}

function writeChunks(res: ServerResponse, chunks: readonly Chunk[], encodings: readonly (BufferEncoding | undefined)[], last?: () => void): number {
  let bytes = 0;
  chunks.forEach((chunk, i) => {
    bytes += chunkSize(chunk);
    const encoding = encodings[i] ?? 'utf8';
    if (i === chunks.length - 1 && last) res.write(chunk, encoding, last);
    else res.write(chunk, encoding);
  });
  return bytes;
}

/** Statuses that never carry a body, so no Content-Length is added for them (node strips theirs). */
function bodiless(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

/** Whether the app framed the body itself: a Content-Length or Transfer-Encoding it set. */
function framed(rawHeaders: readonly string[]): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase();
    if (name === 'content-length' || name === 'transfer-encoding') return true;
  }
  return false;
}

/**
 * A whole response from a thread, written at once. Its length is known, so it goes out with a
 * Content-Length, as node frames `res.end(body)` itself, rather than chunked: the head and the body
 * then leave in one write instead of a head, a chunk and the last-chunk marker.
 */
export function writeReply(res: ServerResponse, reply: Reply): void {
  const { head, chunks, encodings } = reply;
  if (bodiless(head.status) || framed(head.rawHeaders)) {
    writeHead(res, head);
    writeChunks(res, chunks, encodings);
    res.end();
    return;
  }
  let length = 0;
  chunks.forEach((chunk, i) => {
    length += typeof chunk === 'string' ? Buffer.byteLength(chunk, encodings[i] ?? 'utf8') : chunk.byteLength;
  });
  // The array came off the wire: it is this request's own to add to.
  (head.rawHeaders as string[]).push('Content-Length', String(length));
  writeHead(res, head);
  if (chunks.length === 1) {
    res.end(chunks[0], encodings[0] ?? 'utf8');
    return;
  }
  writeChunks(res, chunks, encodings);
  res.end();
}

/**
 * One part of a streamed response. `acknowledge` is called with the part's size once it has been
 * handed to the socket, which lets the thread write more (see WINDOW_BYTES).
 */
export function writePart(res: ServerResponse, part: ResponsePart, acknowledge: (bytes: number) => void): void {
  if (part.head) writeHead(res, part.head);
  if (part.end) {
    writeChunks(res, part.chunks, part.encodings);
    res.end();
    return;
  }
  if (part.chunks.length === 0) {
    res.flushHeaders();
    return;
  }
  let bytes = 0;
  bytes = writeChunks(res, part.chunks, part.encodings, () => {
    acknowledge(bytes);
  });
}
