import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';

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
