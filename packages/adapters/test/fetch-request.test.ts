// What a fetch-style app sees of a request: method, absolute URL, headers, the body as a stream
// (read as the app reads, held back when it does not), and a signal that aborts when the client goes.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adaptFetchApp } from '../src/index.js';
import { closeServers, deferred, rawExchange, serve } from './fetch-support.js';

afterEach(closeServers);

/** An app that answers with what it saw of the request, as JSON. */
const echoApp = {
  async fetch(request: Request) {
    const headers: [string, string][] = [...request.headers];
    const body = request.body === null ? null : await request.text();
    return Response.json({ method: request.method, url: request.url, headers, body, isRequest: request instanceof Request });
  },
};

interface Echo {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
  isRequest: boolean;
}

describe('the Request a fetch app gets', () => {
  it('has the method, an absolute URL from Host, the path and query as sent, and is a Request', async () => {
    const { url, port } = await serve(echoApp);
    const response = await fetch(`${url}/a/b%2Fc?x=1&y=%20z`, { method: 'PATCH', body: 'hi' });
    const echo = (await response.json()) as Echo;
    expect(echo).toMatchObject({ method: 'PATCH', url: `http://127.0.0.1:${port}/a/b%2Fc?x=1&y=%20z`, body: 'hi', isRequest: true });
  });

  it('keeps repeated headers (joined as Fetch joins them) and their order', async () => {
    const { port } = await serve(echoApp);
    const raw = await rawExchange(port, 'GET /h HTTP/1.1\r\nHost: example.test:8080\r\nX-Multi: a\r\nX-Multi: b\r\nCookie: k=1\r\nCookie: j=2\r\nConnection: close\r\n\r\n');
    const echo = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as Echo;
    expect(echo.url).toBe('http://example.test:8080/h');
    expect(Object.fromEntries(echo.headers)).toMatchObject({ 'x-multi': 'a, b', cookie: 'k=1; j=2' });
  });

  it('falls back to the socket\'s address without a Host header (HTTP/1.0) and says https when a proxy does', async () => {
    const { port } = await serve(echoApp);
    const bare = await rawExchange(port, 'GET /old HTTP/1.0\r\n\r\n');
    expect((JSON.parse(bare.slice(bare.indexOf('\r\n\r\n') + 4)) as Echo).url).toBe(`http://127.0.0.1:${port}/old`);
    // gu's front removes X-Forwarded-* from peers not in forwarded_allow_ips: one that arrives is trusted.
    const proxied = await rawExchange(port, 'GET /p HTTP/1.1\r\nHost: shop.test\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n');
    expect((JSON.parse(proxied.slice(proxied.indexOf('\r\n\r\n') + 4)) as Echo).url).toBe('https://shop.test/p');
  });

  it('says https on a TLS connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gu-fetch-tls-'));
    try {
      const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
      const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, adaptFetchApp(echoApp).listener);
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port, path: '/secure', headers: { host: `localhost:${port}` }, rejectUnauthorized: false, agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text));
        }).on('error', reject);
      });
      server.close();
      expect((JSON.parse(body) as Echo).url).toBe(`https://localhost:${port}/secure`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the request body', () => {
  it('streams: fetch() runs and reads the first part before the client has sent the rest', async () => {
    const app = {
      fetch(request: Request) {
        const reader: ReadableStreamDefaultReader<Uint8Array> = request.body!.getReader();
        const decoder = new TextDecoder();
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            const { done, value } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(new TextEncoder().encode(`got ${decoder.decode(value)};`));
          },
        });
        return new Response(body);
      },
    };
    const { port } = await serve(app);
    const req = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/', agent: false, headers: { 'transfer-encoding': 'chunked' } });
    req.write('first');
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    const [firstEcho] = (await once(res, 'data')) as [Buffer];
    // The answer to the first part came while the request was still open: nothing buffered it whole.
    expect(firstEcho.toString()).toBe('got first;');
    req.end('second');
    let rest = '';
    for await (const chunk of res) rest += String(chunk);
    expect(rest).toBe('got second;');
  });

  it('holds the client back while the app does not read (back-pressure), then delivers every byte', async () => {
    const total = 32 * 1024 * 1024;
    const startReading = deferred<undefined>();
    const seen = deferred<number>();
    let incoming: http.IncomingMessage | undefined;
    const app = {
      async fetch(request: Request, env: { incoming: http.IncomingMessage }) {
        incoming = env.incoming;
        // One read starts the stream; then the app stalls with the stream open.
        const reader: ReadableStreamDefaultReader<Uint8Array> = request.body!.getReader();
        let bytes = (await reader.read()).value!.byteLength;
        await startReading.promise;
        for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
        seen.resolve(bytes);
        return new Response(String(bytes));
      },
    };
    const { port } = await serve(app);
    const socket = net.connect(port, '127.0.0.1');
    socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\nConnection: close\r\n\r\n`);
    const chunk = Buffer.alloc(1024 * 1024, 97);
    let written = 0;
    // Write until the socket refuses more and stays full: the server stopped reading.
    while (written < total) {
      written += chunk.length;
      if (!socket.write(chunk)) {
        const drained = await Promise.race([once(socket, 'drain').then(() => true), new Promise((resolve) => setTimeout(resolve, 300, false))]);
        if (!drained) break;
      }
    }
    expect(written).toBeLessThan(total);
    expect(incoming!.socket.bytesRead).toBeLessThan(16 * 1024 * 1024);
    startReading.resolve(undefined);
    const rest = async (): Promise<void> => {
      for (; written < total; written += chunk.length) if (!socket.write(chunk)) await once(socket, 'drain');
    };
    await rest();
    expect(await seen.promise).toBe(total);
    socket.destroy();
  });
});

describe('request.signal', () => {
  it('aborts when the client disconnects before the answer', async () => {
    const aborted = deferred<string>();
    const started = deferred<undefined>();
    const app = {
      fetch(request: Request) {
        request.signal.addEventListener('abort', () => aborted.resolve((request.signal.reason as Error).name));
        started.resolve(undefined);
        return new Promise<Response>(() => undefined);
      },
    };
    const { port } = await serve(app);
    const socket = net.connect(port, '127.0.0.1');
    socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n');
    await started.promise;
    socket.destroy();
    expect(await aborted.promise).toBe('AbortError');
  });

  it('does not abort once the response is complete', async () => {
    let signal: AbortSignal | undefined;
    const { url, server } = await serve({ fetch: (request: Request) => ((signal = request.signal), new Response('ok')) });
    const response = await fetch(url, { headers: { connection: 'close' } });
    expect(await response.text()).toBe('ok');
    server.closeAllConnections();
    expect(signal!.aborted).toBe(false);
  });
});
