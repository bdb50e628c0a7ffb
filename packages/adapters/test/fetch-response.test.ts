// How a fetch app's Response reaches the client: bodies of each kind, head, Set-Cookie, HEAD, and
// a body streamed as it is produced. Runs with the adapter's LightResponse as the global Response
// (its default); fetch-native-response.test.ts covers real Responses.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { closeServers, rawExchange, serve, timedRequest } from './fetch-support.js';

afterEach(closeServers);

const NativeResponse = globalThis.Response;

function get(url: string, method = 'GET'): Promise<{ status: number; message: string; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method, agent: false }, (res) => {
        let body = '';
        res.setEncoding('latin1').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, message: res.statusMessage ?? '', headers: res.headers, body }));
      })
      .on('error', reject)
      .end();
  });
}

const routes: Record<string, () => Response> = {
  '/string': () => new Response('héllo'),
  '/bytes': () => new Response(new Uint8Array([104, 105])),
  '/arraybuffer': () => new Response(new Uint8Array([1, 2, 3]).buffer),
  '/null': () => new Response(null, { status: 204 }),
  '/teapot': () => new Response('short', { status: 418, statusText: 'Short And Stout' }),
  '/cookies': () => {
    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT');
    headers.append('set-cookie', 'b=2; HttpOnly');
    return new Response('c', { headers });
  },
  '/json': () => Response.json({ ok: true }, { status: 201 }),
  '/blob': () => new Response(new Blob(['blob body'], { type: 'text/x-blob' })),
};
const app = { fetch: (request: Request) => (routes[new URL(request.url).pathname] ?? (() => new Response('none', { status: 404 })))() };

describe('a Response', () => {
  it('with a string body: UTF-8 bytes, Content-Length and Fetch\'s default Content-Type', async () => {
    const { url } = await serve(app);
    const res = await get(`${url}/string`);
    expect(res).toMatchObject({ status: 200, body: Buffer.from('héllo').toString('latin1') });
    expect(res.headers).toMatchObject({ 'content-length': '6', 'content-type': 'text/plain;charset=UTF-8' });
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });

  it('with Uint8Array and ArrayBuffer bodies: the bytes, with Content-Length', async () => {
    const { url } = await serve(app);
    const bytes = await fetch(`${url}/bytes`);
    expect(bytes.headers.get('content-length')).toBe('2');
    expect(await bytes.text()).toBe('hi');
    const buffer = await fetch(`${url}/arraybuffer`);
    expect([...new Uint8Array(await buffer.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('with a null body, a status and a status text, JSON, a Blob', async () => {
    const { url } = await serve(app);
    expect(await get(`${url}/null`)).toMatchObject({ status: 204, body: '' });
    expect(await get(`${url}/teapot`)).toMatchObject({ status: 418, message: 'Short And Stout', body: 'short' });
    const json = await get(`${url}/json`);
    expect(json).toMatchObject({ status: 201, body: '{"ok":true}' });
    expect(json.headers['content-type']).toBe('application/json');
    const blob = await get(`${url}/blob`);
    expect(blob).toMatchObject({ status: 200, body: 'blob body' });
    expect(blob.headers['content-type']).toBe('text/x-blob');
  });

  it('keeps each Set-Cookie apart (never comma-joined)', async () => {
    const { port } = await serve(app);
    const raw = await rawExchange(port, 'GET /cookies HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(raw).toContain('\r\nset-cookie: a=1; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT\r\n');
    expect(raw).toContain('\r\nset-cookie: b=2; HttpOnly\r\n');
  });

  it('is a Response both ways: the global one and real ones pass instanceof', async () => {
    await serve(app);
    expect(globalThis.Response).not.toBe(NativeResponse);
    const light = new Response('x');
    expect(light).toBeInstanceOf(NativeResponse);
    expect(Response.json({})).toBeInstanceOf(Response);
    expect(await light.clone().text()).toBe('x');
    expect(await light.text()).toBe('x');
    expect(light.bodyUsed).toBe(true);
    expect(() => new Response('x', { status: 204 })).toThrow(TypeError);
    expect(() => new Response('x', { status: 99 })).toThrow(RangeError);
  });
});

describe('a streamed Response', () => {
  it('reaches the client in pieces as the app produces them', async () => {
    const encoder = new TextEncoder();
    const ticking = {
      fetch: () => {
        let tick = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (tick > 0) await new Promise((resolve) => setTimeout(resolve, 200));
            controller.enqueue(encoder.encode(`tick ${++tick}\n`));
            if (tick === 5) controller.close();
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/plain' } });
      },
    };
    const { url } = await serve(ticking);
    const res = await timedRequest(url);
    expect(res.body.toString()).toBe('tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.arrivals.length).toBeGreaterThanOrEqual(4);
    expect(res.arrivals.at(-1)! - res.arrivals[0]!).toBeGreaterThan(500);
  });

  it('is cancelled when the client goes away', async () => {
    let cancelled: () => void = () => undefined;
    const whenCancelled = new Promise<void>((resolve) => (cancelled = resolve));
    let stopped = false;
    const tick = (controller: ReadableStreamDefaultController<Uint8Array>, done: () => void): void => {
      if (!stopped) controller.enqueue(new Uint8Array(10));
      done();
    };
    const endless = {
      fetch: () =>
        new Response(
          new ReadableStream<Uint8Array>({
            pull: (controller) => new Promise<void>((resolve) => setTimeout(tick, 20, controller, resolve)),
            cancel: () => {
              stopped = true;
              cancelled();
            },
          }),
        ),
    };
    const { url } = await serve(endless);
    const req = http.get(url, { agent: false }, (res) => res.once('data', () => req.destroy()));
    req.on('error', () => undefined);
    await whenCancelled;
  });
});

describe('HEAD', () => {
  it('gets the head of the GET answer and no body; a stream body is cancelled', async () => {
    const cancelled: string[] = [];
    const headApp = {
      fetch: (request: Request) =>
        new URL(request.url).pathname === '/stream'
          ? new Response(new ReadableStream({ start: () => new Promise<void>(() => undefined), cancel: () => { cancelled.push('stream'); } }))
          : new Response('twelve bytes'),
    };
    const { port } = await serve(headApp);
    const raw = await rawExchange(port, 'HEAD / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const [first, second] = raw.split('HTTP/1.1 ').slice(1);
    expect(first).toMatch(/^200 OK\r\n/);
    expect(first).toContain('content-length: 12\r\n');
    expect(first!.endsWith('\r\n\r\n')).toBe(true);
    expect(second).toMatch(/^200 OK\r\n[^]*\r\n\r\n$/);
    expect(cancelled).toEqual(['stream']);
  });
});
