import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { RunningLoad } from '@gu/testkit';

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Sends raw bytes and resolves with everything the server wrote until it closed the connection. */
export function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => { resolve(data); });
  });
}

export interface TimedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Header lines as they came, name case kept, each repeat on its own: [name, value, name, value…]. */
  rawHeaders: string[];
  body: Buffer;
  /** When each body chunk arrived, in ms since the request was sent. */
  arrivals: number[];
  elapsedMs: number;
}

/** A request with node:http, recording when each chunk of the body arrives. */
export function timedRequest(url: string, options: { method?: string; body?: Uint8Array } = {}): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method: options.method ?? 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const arrivals: number[] = [];
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        arrivals.push(performance.now() - started);
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks), arrivals, elapsedMs: performance.now() - started });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Resolves once the load has sent `count` more requests than now; polled, since the load emits no
 * event. Fails at once if the load ended first (its time bound), rather than waiting out the deadline.
 */
export async function moreRequests(load: RunningLoad, count: number, timeoutMs = 8_000): Promise<void> {
  const target = load.sent + count;
  const deadline = performance.now() + timeoutMs;
  const state = { ended: false };
  void load.done.then(() => (state.ended = true));
  while (load.sent < target) {
    if (state.ended) throw new Error(`the load ended before ${count} more requests (sent ${load.sent})`);
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${count} more requests`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
