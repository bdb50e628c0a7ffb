// What the HTTP conformance tests share: a raw-socket client (bytes out, everything back until the
// server closes) and a node:http client that records when each body chunk arrives.
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export const fixtures = join(import.meta.dirname, 'fixtures');
export const httpApp = join(fixtures, 'http-app.mjs');
export const asgi = ['-k', 'asgi', '-b', '127.0.0.1:0'];

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Sends `request` on a new connection and resolves with all the server wrote until it closed (latin1). */
export function rawExchange(port: number, request: string | Buffer, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${JSON.stringify(data)}`));
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('connect', () => socket.write(typeof request === 'string' ? Buffer.from(request, 'latin1') : request));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(data);
    });
  });
}

export interface TimedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  trailers: NodeJS.Dict<string>;
  body: Buffer;
  /** When each body chunk arrived, in ms since the request was sent. */
  arrivals: number[];
}

/** A request with node:http (no keep-alive), recording when each body chunk arrives. */
export function timedRequest(url: string, options: { method?: string; body?: Uint8Array; headers?: Record<string, string> } = {}): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method: options.method ?? 'GET', agent: false, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      const arrivals: number[] = [];
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        arrivals.push(performance.now() - started);
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body: Buffer.concat(chunks), arrivals });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
