import type { IncomingMessage } from 'node:http';

/** Bytes the body stream holds before it stops reading from the socket (the client is held back). */
const highWaterMark = 64 * 1024;

function clientGone(): DOMException {
  return new DOMException('The client disconnected before the request body was complete', 'AbortError');
}

/** Whether the request carries a body: Fetch allows none on GET and HEAD; node tells a framed one apart. */
export function hasBody(req: IncomingMessage): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The request body as a ReadableStream that reads from `req` only as the app consumes it: `req` is
 * paused whenever the stream holds `highWaterMark` bytes, so a slow reader holds the client back
 * (TCP's window) rather than filling memory. A client that goes before the end errors the stream.
 */
export function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on('data', (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => {
          finished = true;
          controller.close();
        });
        req.once('close', () => {
          if (!finished) controller.error(req.errored ?? clientGone());
          finished = true;
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        // The app wants no more: node discards the rest once the response ends.
        finished = true;
        req.removeAllListeners('data');
      },
    },
    { highWaterMark, size: (chunk) => chunk.byteLength },
  );
}
