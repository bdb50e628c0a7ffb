import type { IncomingMessage, ServerResponse } from 'node:http';
import { chunkSize, type Chunk, type Head, type Peer, type Reply, type RequestTask, type ResponsePart } from '../protocol.js';

/** The task a request becomes: its head and peer, no body (that streams once the app reads it). */
export function taskOf(id: number, req: IncomingMessage): RequestTask {
  const { headers } = req;
  const length = headers['content-length'];
  return {
    id,
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    httpVersion: req.httpVersion,
    rawHeaders: req.rawHeaders,
    headers,
    peer: peerOf(req),
    body: headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0'),
  };
}

function peerOf(req: IncomingMessage): Peer {
  const socket = req.socket as IncomingMessage['socket'] & { encrypted?: boolean };
  return {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    remoteFamily: socket.remoteFamily,
    localAddress: socket.localAddress,
    localPort: socket.localPort,
    encrypted: socket.encrypted === true,
  };
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

/** A whole response from a thread, written at once. */
export function writeReply(res: ServerResponse, reply: Reply): void {
  writeHead(res, reply.head);
  writeChunks(res, reply.chunks, reply.encodings);
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
