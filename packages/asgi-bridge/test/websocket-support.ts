import { join } from 'node:path';
import { startGu, type GuProcess } from '@gu/testkit';
import { WebSocket, type ClientOptions, type RawData } from 'ws';

export const fixtures = join(import.meta.dirname, 'fixtures');

/** gu serving `fixture` (in test/fixtures) with the asgi worker class, on a free port. */
export function startAsgi(fixture: string, args: string[] = [], workers = 1): Promise<GuProcess> {
  return startGu([join(fixtures, fixture), '-k', 'asgi', '-b', '127.0.0.1:0', ...args], { workers });
}

export function wsUrl(gu: GuProcess, path: string): string {
  return `${gu.url.replace(/^http/, 'ws')}${path}`;
}

export interface Message {
  readonly data: Buffer;
  readonly isBinary: boolean;
}

/**
 * A `ws` client whose messages queue until read (`next()`), so a test reads them in order with
 * no race against their arrival; `closed` resolves with the close code and reason it saw.
 */
export class TestClient {
  private readonly queue: Message[] = [];
  private readonly waiters: ((message: Message) => void)[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The headers of the 101 response. */
  upgradeHeaders: Record<string, string | string[] | undefined> = {};
  received = 0;

  constructor(readonly ws: WebSocket) {
    ws.once('upgrade', (res) => { this.upgradeHeaders = res.headers; });
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => { resolve(); });
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => { resolve({ code, reason: reason.toString() }); });
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      this.received += 1;
      const message = { data: data as Buffer, isBinary };
      const waiter = this.waiters.shift();
      if (waiter) waiter(message);
      else this.queue.push(message);
    });
  }

  next(): Promise<Message> {
    const message = this.queue.shift();
    if (message) return Promise.resolve(message);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async nextText(): Promise<string> {
    return (await this.next()).data.toString();
  }
}

/** A client connected to `path` (rejects if the handshake fails). */
export async function connect(gu: GuProcess, path: string, protocols?: string[], options?: ClientOptions): Promise<TestClient> {
  const client = new TestClient(new WebSocket(wsUrl(gu, path), protocols, options));
  await client.opened;
  return client;
}

export interface Refusal {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** The HTTP response a refused handshake got, as the `ws` client reports it ('unexpected-response'). */
export function refusal(gu: GuProcess, path: string): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(gu, path));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body }); });
      res.on('error', reject);
    });
    ws.on('open', () => { reject(new Error(`${path}: the handshake was accepted`)); });
    ws.on('error', reject);
  });
}

/** What the fixture's /seen route reports: what the worker's sockets saw (disconnects, send errors). */
export async function seenByWorker(gu: GuProcess): Promise<Record<string, unknown>[]> {
  const client = await connect(gu, '/seen');
  const seen = JSON.parse(await client.nextText()) as Record<string, unknown>[];
  client.ws.close();
  await client.closed;
  return seen;
}
