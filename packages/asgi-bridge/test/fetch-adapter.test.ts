import { describe, expect, it } from 'vitest';
import { fetchToAsgi } from '../src/fetch/fetch-app.js';
import type { FetchApp, FetchExecutionContext, FetchServer, HttpResponseBody } from '../src/types.js';
import { deferred, disconnectEvent, headers, httpScope, Inbox, Outbox, requestEvent } from './fetch-support.js';

/** Runs one http scope through fetchToAsgi(app) with the request events given. */
async function serve(app: FetchApp, scope = httpScope(), events = [requestEvent('')]) {
  const inbox = new Inbox();
  inbox.push(...events);
  const outbox = new Outbox();
  await fetchToAsgi(app)(scope, inbox.receive, outbox.send);
  return outbox;
}

function capture() {
  const seen: { request?: Request; server?: unknown; ctx?: unknown } = {};
  const app: FetchApp = {
    fetch(request, server, ctx) {
      Object.assign(seen, { request, server, ctx });
      return new Response('ok');
    },
  };
  return { seen, app };
}

const bodyEvents = (outbox: Outbox) => outbox.events.filter((event): event is HttpResponseBody => event.type === 'http.response.body');

describe('fetch-style apps: the http scope as a Request', () => {
  it('builds the URL from the scheme, the Host header, raw_path and query_string, and keeps method and headers', async () => {
    const { seen, app } = capture();
    const scope = httpScope({
      method: 'DELETE',
      scheme: 'https',
      target: '/a%2Fb/c?x=1&y=%20',
      headers: headers([['host', 'api.example:8443'], ['x-many', 'one'], ['x-many', 'two'], ['x-latin', 'caf\u00e9']]),
    });
    await serve(app, scope);
    const request = seen.request!;
    expect(request.url).toBe('https://api.example:8443/a%2Fb/c?x=1&y=%20');
    expect(request.method).toBe('DELETE');
    expect(request.headers.get('x-many')).toBe('one, two');
    expect(request.headers.get('x-latin')).toBe('caf\u00e9');
    expect(request.body).toBeNull();
  });

  it('falls back to the server address when Host is missing or is more than a host', async () => {
    for (const [hostHeaders, expected] of [
      [[], 'http://127.0.0.1:8000/p'],
      [[['host', 'evil.test/other']], 'http://127.0.0.1:8000/p'],
      [[['host', 'user@evil.test']], 'http://127.0.0.1:8000/p'],
    ] as const) {
      const { seen, app } = capture();
      await serve(app, httpScope({ target: '/p', headers: headers(hostHeaders.map(([n, v]) => [n, v])) }));
      expect(seen.request!.url).toBe(expected);
    }
    const { seen, app } = capture();
    await serve(app, httpScope({ target: '//double/slash', headers: [], server: ['::1', 80] }));
    // A path starting with // stays a path: it is not read as a host.
    expect(seen.request!.url).toBe('http://[::1]//double/slash');
  });

  it('calls fetch(request, server, ctx) as Bun and Hono do: server.requestIP knows the client, ctx has waitUntil', async () => {
    const { seen, app } = capture();
    await serve(app, httpScope({ client: ['10.0.0.7', 41234] }));
    const server = seen.server as FetchServer;
    expect(server.requestIP(seen.request!)).toEqual({ address: '10.0.0.7', port: 41234, family: 'IPv4' });
    expect(server.requestIP(new Request('http://other/'))).toBeNull();
    expect(server.upgrade(seen.request!)).toBe(false);
    const ctx = seen.ctx as FetchExecutionContext;
    expect(typeof ctx.waitUntil).toBe('function');
    expect(() => ctx.passThroughOnException()).not.toThrow();
  });

  it('streams the request body: receive() is called only as the app reads, chunk by chunk', async () => {
    const inbox = new Inbox();
    const outbox = new Outbox();
    const chunks: string[] = [];
    const app: FetchApp = {
      async fetch(request) {
        expect(inbox.calls).toBe(0);
        const reader = request.body!.getReader();
        for (let result = await reader.read(); !result.done; result = await reader.read()) {
          chunks.push(Buffer.from(result.value).toString());
        }
        return Response.json({ chunks });
      },
    };
    const scope = httpScope({ method: 'POST', headers: headers({ host: 'h', 'transfer-encoding': 'chunked' }) });
    const served = fetchToAsgi(app)(scope, inbox.receive, outbox.send);
    await inbox.whenWaiting();
    expect(chunks).toEqual([]);
    inbox.push(requestEvent('first ', true));
    await inbox.whenWaiting();
    expect(chunks).toEqual(['first ']);
    inbox.push(requestEvent('', true), requestEvent('second', false));
    await served;
    expect(chunks).toEqual(['first ', 'second']);
    expect(outbox.bodyText()).toBe('{"chunks":["first ","second"]}');
  });

  it('gives a POST without a body (Content-Length: 0) a null body, as Fetch has it', async () => {
    const { seen, app } = capture();
    await serve(app, httpScope({ method: 'POST', headers: headers({ host: 'h', 'content-length': '0' }) }));
    expect(seen.request!.body).toBeNull();
  });

  it('aborts request.signal on http.disconnect, and a body read after it fails', async () => {
    const inbox = new Inbox();
    const aborted = deferred<string>();
    const app: FetchApp = {
      async fetch(request) {
        request.signal.addEventListener('abort', () => aborted.resolve((request.signal.reason as Error).name));
        await aborted.promise;
        return new Response('late');
      },
    };
    const served = fetchToAsgi(app)(httpScope(), inbox.receive, new Outbox().send);
    inbox.push(requestEvent(''));
    await inbox.whenWaiting();
    inbox.push(disconnectEvent);
    expect(await aborted.promise).toBe('AbortError');
    await served;

    const reading = new Inbox();
    let readError: unknown;
    const reader: FetchApp = {
      async fetch(request) {
        readError = await request.text().catch((error: unknown) => error);
        return new Response(null, { status: 204 });
      },
    };
    reading.push(requestEvent('part', true), disconnectEvent);
    const scope = httpScope({ method: 'PUT', headers: headers({ host: 'h', 'content-length': '100' }) });
    await fetchToAsgi(reader)(scope, reading.receive, new Outbox().send);
    expect(readError).toBeInstanceOf(Error);
  });
});

describe('fetch-style apps: the Response as http.response.*', () => {
  it('sends status and headers as byte pairs, each Set-Cookie apart, and a whole body as one message', async () => {
    const app: FetchApp = {
      fetch: () => {
        const response = new Response('hello', { status: 201, headers: { 'content-type': 'text/plain', vary: 'a' } });
        response.headers.append('set-cookie', 'a=1; Path=/');
        response.headers.append('set-cookie', 'b=2, c=3; HttpOnly');
        response.headers.append('vary', 'b');
        return response;
      },
    };
    const outbox = await serve(app);
    expect(outbox.types()).toEqual(['http.response.start', 'http.response.body']);
    expect(outbox.events[0]).toMatchObject({ status: 201 });
    expect(outbox.headerList()).toEqual([
      ['content-type', 'text/plain'],
      ['vary', 'a, b'],
      ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2, c=3; HttpOnly'],
    ]);
    expect(bodyEvents(outbox)).toEqual([{ type: 'http.response.body', body: new TextEncoder().encode('hello'), more_body: false }]);
  });

  it('streams a response body as it is produced: each chunk is sent before the next exists', async () => {
    const outbox = new Outbox();
    const inbox = new Inbox();
    inbox.push(requestEvent(''));
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
    const served = fetchToAsgi({ fetch: () => new Response(body) })(httpScope(), inbox.receive, outbox.send);
    controller.enqueue(Buffer.from('one '));
    await outbox.until(2);
    expect(bodyEvents(outbox)).toEqual([{ type: 'http.response.body', body: Buffer.from('one '), more_body: true }]);
    controller.enqueue(Buffer.from('two'));
    await outbox.until(3);
    controller.close();
    await served;
    expect(bodyEvents(outbox).map((event) => [Buffer.from(event.body!).toString(), event.more_body])).toEqual([
      ['one ', true],
      ['two', true],
      ['', false],
    ]);
  });

  it('answers HEAD with the headers and an empty body, without reading the body', async () => {
    let pulled = false;
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({ pull: () => void (pulled = true), cancel: () => void (cancelled = true) }, { highWaterMark: 0 });
    const outbox = await serve({ fetch: () => new Response(body, { headers: { 'content-length': '5' } }) }, httpScope({ method: 'HEAD' }));
    expect(outbox.headerList()).toContainEqual(['content-length', '5']);
    expect(bodyEvents(outbox)).toEqual([{ type: 'http.response.body', body: new Uint8Array(0), more_body: false }]);
    expect(pulled).toBe(false);
    expect(cancelled).toBe(true);
  });

  it('answers CONNECT or TRACE, which a Request cannot carry, with 501 without calling the app', async () => {
    let called = false;
    const outbox = await serve({ fetch: () => ((called = true), new Response()) }, httpScope({ method: 'TRACE' }));
    expect(outbox.events[0]).toMatchObject({ type: 'http.response.start', status: 501 });
    expect(called).toBe(false);
  });

  it('stops reading the body and aborts the signal when send() raises (the client went away)', async () => {
    const cancelled = deferred<unknown>();
    let signal: AbortSignal | undefined;
    let n = 0;
    const body = new ReadableStream<Uint8Array>({ pull: (c) => c.enqueue(Buffer.from(`chunk ${n++}`)), cancel: (reason) => cancelled.resolve(reason) });
    const inbox = new Inbox();
    inbox.push(requestEvent(''));
    const outbox = new Outbox();
    const gone = new Error('client disconnected');
    const app: FetchApp = { fetch: (request) => ((signal = request.signal), new Response(body)) };
    const served = fetchToAsgi(app)(httpScope(), inbox.receive, outbox.send);
    await outbox.until(3);
    outbox.failWith = gone;
    await expect(served).rejects.toBe(gone);
    expect(await cancelled.promise).toBe(gone);
    expect(signal!.aborted).toBe(true);
  });
});

describe('fetch-style apps: errors and what the ASGI call waits for', () => {
  it('lets a throw from fetch through as it is, for the server to answer 500 and log', async () => {
    const boom = new Error('boom');
    await expect(serve({ fetch: () => { throw boom; } })).rejects.toBe(boom);
    await expect(serve({ fetch: () => Promise.reject(boom) })).rejects.toBe(boom);
  });

  it('names what fetch returned instead of a Response', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /fetch\(request\) for GET \/x\?q=1 returned undefined, not a Response \(does every route return its Response\?\)/],
      [{ status: 'ok', data: 1 }, /returned an object with keys status, data, not a Response/],
      ['hello', /returned the string "hello", not a Response/],
    ];
    for (const [returned, message] of cases) {
      const app = { fetch: () => returned } as unknown as FetchApp;
      await expect(serve(app, httpScope({ target: '/x?q=1' }))).rejects.toThrow(message);
    }
  });

  it('names a body stream that yields something other than bytes', async () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue('text, not bytes');
        controller.close();
      },
    });
    await expect(serve({ fetch: () => new Response(body as ReadableStream<Uint8Array>) })).rejects.toThrow(
      /the Response body stream yielded the string "text, not bytes"; a body stream must yield Uint8Array chunks/,
    );
  });

  it('returns only once ctx.waitUntil work is done, after the response went out; its rejection is the app error', async () => {
    const work = deferred();
    const outbox = new Outbox();
    const inbox = new Inbox();
    inbox.push(requestEvent(''));
    let finished = false;
    const app: FetchApp = {
      fetch(_request, _server, ctx) {
        (ctx as FetchExecutionContext).waitUntil(work.promise);
        return new Response('sent first');
      },
    };
    const served = fetchToAsgi(app)(httpScope(), inbox.receive, outbox.send).then(() => (finished = true));
    await outbox.until(2);
    expect(outbox.bodyText()).toBe('sent first');
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    work.resolve();
    await served;

    const failing: FetchApp = {
      fetch(_request, _server, ctx) {
        (ctx as FetchExecutionContext).waitUntil(Promise.reject(new Error('audit log down')));
        return new Response('ok');
      },
    };
    const failed = new Outbox();
    await expect(fetchToAsgi(failing)(httpScope(), new Inbox().receive, failed.send)).rejects.toThrow(
      'a promise passed to ctx.waitUntil() rejected: Error: audit log down',
    );
    expect(failed.bodyText()).toBe('ok');
  });

  it('raises on the lifespan scope, as an ASGI app without lifespan support does', async () => {
    const app = fetchToAsgi({ fetch: () => new Response() });
    const lifespan = app({ type: 'lifespan', asgi: { version: '3.0', spec_version: '2.0' }, state: {} }, new Inbox().receive, new Outbox().send);
    await expect(lifespan).rejects.toThrow(/fetch-style apps have no lifespan/);
  });
});
