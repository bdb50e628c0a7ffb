// A fetch app that fails: a throw, a rejection, something that is not a Response, a body that
// errors half-way. Each costs one request (500 or a cut connection), never a hung socket, and
// reaches the log; without a log the listener's promise carries the error to the server (gu).
import { afterEach, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { adaptFetchApp, type FetchEnv } from '../src/index.js';
import { closeServers, serve } from './fetch-support.js';

afterEach(closeServers);

const failures: Record<string, () => unknown> = {
  '/throw': () => {
    throw new Error('thrown by fetch');
  },
  '/reject': () => Promise.reject(new Error('rejected by fetch')),
  '/undefined': () => undefined,
  '/string': () => 'not a response',
  '/midway': () =>
    new Response(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('partial'));
        },
        pull: () => new Promise((_resolve, reject) => setTimeout(reject, 50, new Error('body failed'))),
      }),
    ),
};
const failing = { fetch: (request: Request) => failures[new URL(request.url).pathname]!() };

describe('a failing fetch()', () => {
  it.each([
    ['/throw', /thrown by fetch/],
    ['/reject', /rejected by fetch/],
    ['/undefined', /the app's fetch\(\) \(app.js:app\) returned undefined; expected a Response/],
    ['/string', /returned the string "not a response"; expected a Response/],
  ])('%s: a 500 with Connection: close, and the error in the log', async (path, error) => {
    const { url, log } = await serve(failing, { spec: 'app.js:app' });
    const response = await fetch(`${url}${path}`);
    expect(response.status).toBe(500);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.text()).toBe('Internal Server Error\n');
    expect(log.exceptions).toHaveLength(1);
    expect(log.exceptions[0]!.message).toBe(`Error handling request GET ${path}`);
    expect(String(log.exceptions[0]!.error)).toMatch(error);
  });

  it('a body that errors after the head was sent: left to the worker class, which cuts the connection', async () => {
    const { url, log } = await serve(failing);
    await expect(fetch(`${url}/midway`).then((response) => response.text())).rejects.toThrow();
    // Logged once, by the server's guard (fetch-support.ts), as gu's worker classes do.
    expect(log.exceptions.map((entry) => [entry.message, String(entry.error)])).toEqual([['Error handling request GET /midway (from the listener\'s promise)', 'Error: body failed']]);
  });

  it('without a log: the listener\'s promise rejects with the error, for the server to answer', async () => {
    // Typed as node's listener (void); the promise it returns is what gu awaits.
    const listener = adaptFetchApp(failing).listener as unknown as (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>;
    const seen: unknown[] = [];
    const server = http.createServer((req, res) => {
      listener(req, res).catch((error: unknown) => {
        seen.push(error);
        res.writeHead(500).end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      expect((await fetch(`http://127.0.0.1:${port}/undefined`)).status).toBe(500);
      expect((await fetch(`http://127.0.0.1:${port}/throw`)).status).toBe(500);
      expect(seen.map(String)).toEqual([expect.stringMatching(/returned undefined/), 'Error: thrown by fetch']);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('env and ctx', () => {
  it('env has incoming and outgoing (node\'s request and response) and Bun\'s requestIP()', async () => {
    const { url } = await serve({
      fetch: (request: Request, env: FetchEnv) =>
        Response.json({ incoming: env.incoming instanceof http.IncomingMessage, outgoing: env.outgoing instanceof http.ServerResponse, ip: env.requestIP(request) }),
    });
    const seen = (await (await fetch(url)).json()) as { ip: { port: number } };
    expect(seen).toEqual({ incoming: true, outgoing: true, ip: { address: '127.0.0.1', family: 'IPv4', port: expect.any(Number) as number } });
    expect(seen.ip.port).toBeGreaterThan(0);
  });

  it('ctx.waitUntil work runs after the answer; close() waits for it; a rejection is logged', async () => {
    let finish: () => void = () => undefined;
    const work = new Promise<void>((resolve) => (finish = resolve));
    const app = {
      fetch: (_request: Request, _env: unknown, ctx: { waitUntil(promise: Promise<unknown>): void; passThroughOnException(): void }) => {
        ctx.passThroughOnException();
        ctx.waitUntil(work);
        ctx.waitUntil(Promise.reject(new Error('background failed')));
        return new Response('answered first');
      },
    };
    const { url, adapted, log } = await serve(app);
    expect(await (await fetch(url)).text()).toBe('answered first');
    let closed = false;
    const closing = adapted.close!().then(() => (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    finish();
    await closing;
    expect(log.exceptions.map((entry) => [entry.message, String(entry.error)])).toEqual([['A promise passed to ctx.waitUntil() rejected', 'Error: background failed']]);
  });
});
