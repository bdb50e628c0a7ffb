// Pins, on the running Node, each node:http (and node:tls) internal or undocumented behaviour the
// HTTP front relies on (src/http/node-http-internals.ts). A failure here after a Node upgrade names
// the internal that changed: update that module, and the front's docs if the behaviour moved.
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, cleanUp } from '@gu/testkit';
import {
  answerHalfClosedClients,
  assertNodeHttpInternals,
  closeAfterResponse,
  replaceBodyPush,
  replaceDestroySoon,
  responseBytesSent,
  responseOnConnection,
  tlsVerifyError,
} from '../../src/http/node-http-internals.js';
import { rawGet, sendRaw } from '../support/raw-http.js';
import { selfSigned, signed } from '../support/tls-certs.js';

const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await cleanUp();
});

async function listen(server: net.Server): Promise<number> {
  closers.push(() => server.close());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, options: http.ServerOptions = {}): Promise<string> {
  return `http://127.0.0.1:${await listen(http.createServer(options, handler))}`;
}

/**
 * As the front runs node:http: a server that never listens nor emits 'listening', handed each
 * connection accepted by a plain net.Server.
 */
async function serveLikeTheFront(options: http.ServerOptions, handler: http.RequestListener = (_req, res) => res.end('ok')) {
  const server = http.createServer(options, handler);
  const accepted: net.Socket[] = [];
  const port = await listen(
    net.createServer({ allowHalfOpen: true }, (socket) => {
      accepted.push(socket);
      server.emit('connection', socket);
    }),
  );
  closers.push(() => {
    for (const socket of accepted) socket.destroy();
  });
  return { server, port, accepted };
}

function connect(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  closers.push(() => socket.destroy());
  return new Promise((resolve) => socket.once('connect', () => resolve(socket)));
}

const closed = (socket: net.Socket): Promise<void> => new Promise((resolve) => socket.once('close', () => resolve()));
const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the shape guard', () => {
  it('passes on this Node, for plain and TLS fronts alike', () => {
    expect(() => assertNodeHttpInternals({ tls: true })).not.toThrow();
  });
});

describe('node:http internals the front relies on', () => {
  it('socket._httpMessage: the response in flight, set when the request is read, cleared when it finished', async () => {
    const seen: unknown[] = [];
    const url = await serve((req, res) => {
      seen.push(responseOnConnection(req.socket) === res);
      res.on('finish', () => setImmediate(() => seen.push(responseOnConnection(req.socket))));
      res.end('ok');
    });
    expect((await sendRaw(url, rawGet('/'))).status).toBe(200);
    expect(seen).toEqual([true, null]);
  });

  it('res._headerSent: false after writeHead (headersSent is already true), true once bytes went out', async () => {
    const seen: boolean[] = [];
    const url = await serve((_req, res) => {
      res.writeHead(200);
      seen.push(res.headersSent, responseBytesSent(res));
      res.write('a');
      seen.push(responseBytesSent(res));
      res.end();
    });
    await sendRaw(url, rawGet('/'));
    expect(seen).toEqual([true, false, true]);
  });

  it('res.shouldKeepAlive = false: Connection: close, and the connection ends after the response', async () => {
    const url = await serve((_req, res) => {
      closeAfterResponse(res);
      res.end('bye');
    });
    // A keep-alive request: the server, not the client, ends this connection.
    const answer = await sendRaw(url, 'GET / HTTP/1.1\r\nHost: t\r\n\r\n', 3000);
    expect(answer.text).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer.text).toMatch(/bye$/);
  });

  it('httpAllowHalfOpen: a client that half-closed gets a response written after its FIN, only with it', async () => {
    const later = (_req: IncomingMessage, res: ServerResponse): void => {
      setTimeout(() => res.end('late'), 100);
    };
    const halfClosed = async (port: number): Promise<string> => {
      const socket = await connect(port);
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.end('GET / HTTP/1.0\r\n\r\n');
      await closed(socket);
      return text;
    };
    const plain = await serveLikeTheFront({}, later);
    expect(await halfClosed(plain.port)).toBe('');
    const answering = await serveLikeTheFront({}, later);
    answerHalfClosedClients(answering.server);
    expect(await halfClosed(answering.port)).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nlate$/);
  });

  it('hands each body chunk to IncomingMessage#push before the app reads it', async () => {
    const pushed: number[] = [];
    let read = 0;
    const url = await serve((req, res) => {
      replaceBodyPush(req, (push) => ((chunk: Buffer | null, encoding?: BufferEncoding) => {
        if (chunk !== null) pushed.push(chunk.length);
        return push(chunk, encoding);
      }) as typeof push);
      req.on('data', (chunk: Buffer) => (read += chunk.length));
      req.on('end', () => res.end(`${read}`));
    });
    const body = '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n';
    const res = await sendRaw(url, `POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`);
    expect(res.text).toMatch(/\r\n\r\n11$/);
    expect(pushed.reduce((a, b) => a + b, 0)).toBe(11);
  });

  it('ends the socket of a Connection: close response with destroySoon()', async () => {
    const calls: string[] = [];
    const url = await serve((req, res) => {
      const socket = req.socket;
      const destroySoon = socket.destroySoon.bind(socket);
      replaceDestroySoon(socket, () => {
        calls.push('destroySoon');
        destroySoon();
      });
      closeAfterResponse(res);
      res.end('bye');
    });
    expect((await sendRaw(url, rawGet('/'))).status).toBe(200);
    expect(calls).toEqual(['destroySoon']);
  });

  // Documented since Node 24.6, pinned because the head deadline of a keep-alive connection's next
  // request relies on it (client-deadlines.ts): the front passes keepAliveTimeoutBuffer 0.
  it('closes an idle keep-alive connection at keepAliveTimeout + keepAliveTimeoutBuffer (default 1 s)', async () => {
    const idleFor = async (options: http.ServerOptions): Promise<{ header: string; ms: number }> => {
      const { port } = await serveLikeTheFront(options);
      const socket = await connect(port);
      let header = '';
      let answeredAt = 0;
      socket.on('data', (chunk: Buffer) => {
        answeredAt = performance.now();
        header += chunk.toString('latin1');
      });
      socket.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
      await closed(socket);
      return { header, ms: performance.now() - answeredAt };
    };
    const [plain, buffered] = await Promise.all([
      idleFor({ keepAliveTimeout: 1000 }),
      idleFor({ keepAliveTimeout: 1000, keepAliveTimeoutBuffer: 0 }),
    ]);
    for (const [idle, expectedMs] of [[plain, 2000], [buffered, 1000]] as const) {
      expect(idle.header).toMatch(/\r\nKeep-Alive: timeout=1\r\n/i);
      expect(idle.ms).toBeGreaterThan(expectedMs - 150);
      expect(idle.ms).toBeLessThan(expectedMs + 500);
    }
  });

  it('without the "listening" event enforces no headersTimeout, and closeIdleConnections closes nothing', async () => {
    // The front relies on both: its own deadlines decide about slow clients, and a draining worker
    // must not close a connection whose request may be on its way, as closeIdleConnections does
    // to connections that have sent nothing since nodejs/node#63470 (Node releases after 24.21).
    const { server, port } = await serveLikeTheFront({ headersTimeout: 300, requestTimeout: 300, connectionsCheckingInterval: 50 });
    const [partial, silent, idle] = await Promise.all([connect(port), connect(port), connect(port)]);
    partial.write('GET / HTTP/1.1\r\nHost:');
    idle.write('GET / HTTP/1.1\r\nHost: t\r\n\r\n');
    await new Promise((resolve) => idle.once('data', resolve));
    await delay(600);
    server.closeIdleConnections();
    server.close();
    await delay(100);
    for (const socket of [partial, silent, idle]) expect(socket.readyState).toBe('open');
  });

  it("a TLSSocket's _handle.verifyError() reports a client certificate its CA did not sign", async () => {
    const dir = tempDir('gu-internals-');
    const ca = selfSigned(dir, 'ca');
    const server = signed(dir, 'server', ca);
    const stranger = selfSigned(dir, 'stranger');
    const context = tls.createSecureContext({ cert: readFileSync(server.cert), key: readFileSync(server.key), ca: readFileSync(ca.cert) });
    const verdicts: (string | null)[] = [];
    const port = await listen(
      net.createServer((raw) => {
        const socket = new tls.TLSSocket(raw, { isServer: true, secureContext: context, requestCert: true, rejectUnauthorized: false });
        socket.once('secure', () => {
          verdicts.push(tlsVerifyError(socket)?.code ?? null);
          socket.end();
        });
      }),
    );
    const handshake = async (client: { cert: string; key: string }): Promise<void> => {
      const socket = tls.connect({ port, host: '127.0.0.1', ca: readFileSync(ca.cert), servername: 'localhost', cert: readFileSync(client.cert), key: readFileSync(client.key) });
      socket.on('data', () => undefined);
      await new Promise((resolve) => socket.once('close', resolve));
    };
    await handshake(signed(dir, 'client', ca));
    await handshake(stranger);
    expect(verdicts).toEqual([null, expect.stringMatching(/^[A-Z_]+$/)]);
  });
});
