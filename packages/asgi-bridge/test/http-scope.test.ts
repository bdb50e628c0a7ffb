// The `http` scope an ASGI app gets under -k asgi, field by field (asgiref www spec 2.4), on the
// real gu binary and real sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { cleanUp, startGu, tempDir } from '@gu/testkit';
import { asgi, httpApp, portOf, rawExchange } from './http-support.js';

afterEach(cleanUp);

interface SeenScope {
  type: string;
  asgi: { version: string; spec_version: string };
  http_version: string;
  method: string;
  scheme: string;
  path: string;
  raw_path: string;
  raw_path_is_bytes: boolean;
  query_string: string;
  root_path: string;
  headers: [string, string][];
  headers_are_bytes: boolean;
  client: [string, number] | null;
  server: [string, number | null] | null;
  state: Record<string, unknown>;
  extensions: Record<string, unknown>;
  body: string;
}

/** The JSON body of a raw HTTP/1.x response. */
function jsonBody(response: string): SeenScope {
  return JSON.parse(Buffer.from(response.slice(response.indexOf('\r\n\r\n') + 4), 'latin1').toString('utf8')) as SeenScope;
}

describe('the http scope', () => {
  it('carries the request as sent: method, version, path decoded and raw, query bytes, headers as lower-cased byte pairs in order', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const port = portOf(gu.url);
    const request =
      'POST /scope/../scope%20x/caf%C3%A9%2Fslash?a=1&b=%20two HTTP/1.1\r\nHost: example.test\r\nX-Repeat: one\r\nContent-Length: 5\r\n' +
      'x-repeat: two\r\nX-Latin: caf\xe9\r\nConnection: close\r\n\r\nhello';
    // The path routes by its decoded form, so ask the app for /scope by a path that decodes to it.
    const seen = jsonBody(await rawExchange(port, request.replace('/scope/../scope%20x/caf%C3%A9%2Fslash', '/sc%6Fpe')));
    expect(seen).toMatchObject({
      type: 'http',
      asgi: { version: '3.0', spec_version: '2.4' },
      http_version: '1.1',
      method: 'POST',
      scheme: 'http',
      path: '/scope',
      raw_path: '/sc%6Fpe',
      raw_path_is_bytes: true,
      query_string: 'a=1&b=%20two',
      root_path: '',
      headers_are_bytes: true,
      body: 'hello',
    });
    expect(seen.headers).toEqual([
      ['host', 'example.test'],
      ['x-repeat', 'one'],
      ['content-length', '5'],
      ['x-repeat', 'two'],
      ['x-latin', 'caf\xe9'],
      ['connection', 'close'],
    ]);
    expect(seen.client?.[0]).toBe('127.0.0.1');
    expect(seen.client?.[1]).toBeGreaterThan(0);
    expect(seen.server).toEqual(['127.0.0.1', port]);
    expect(Object.keys(seen.extensions).sort()).toEqual(['http.response.early_hint', 'http.response.pathsend', 'http.response.trailers']);
    expect(seen.state).toEqual({});
  });

  it('serves an Upgrade offer of another protocol than websocket (curl --http2\'s h2c) as an http request', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const request = 'GET /scope HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n';
    const answer = await rawExchange(portOf(gu.url), request);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(jsonBody(answer)).toMatchObject({ type: 'http', method: 'GET', path: '/scope' });
    expect(jsonBody(answer).headers).toContainEqual(['upgrade', 'h2c']);
  });

  it('decodes percent escapes and UTF-8 in path, never failing on a malformed escape; HTTP/1.0 is 1.0; absolute-form gives its path', async () => {
    const gu = await startGu([httpApp, ...asgi]);
    const port = portOf(gu.url);
    const decodedRoute = await rawExchange(port, 'GET /%73cope?x=%C3%A9 HTTP/1.0\r\nHost: a\r\n\r\n');
    expect(jsonBody(decodedRoute)).toMatchObject({ http_version: '1.0', path: '/scope', raw_path: '/%73cope', query_string: 'x=%C3%A9' });
    // Not a route: the 404 names the decoded path, é from its UTF-8 escape and %zz left as it is.
    const unknown = await rawExchange(port, 'GET /caf%C3%A9/%zz%2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(unknown).toMatch(/^HTTP\/1\.1 404 /);
    expect(jsonBody(unknown)).toEqual({ error: 'no route /café/%zz%2' });
    const absolute = await rawExchange(port, 'GET http://example.test/scope?q=1 HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n');
    expect(jsonBody(absolute)).toMatchObject({ path: '/scope', raw_path: '/scope', query_string: 'q=1' });
  });

  it('reports the client a PROXY header declared (proxy_protocol), and https from a trusted proxy\'s secure scheme header', async () => {
    const gu = await startGu([httpApp, ...asgi, '--proxy-protocol', 'v1', '--forwarded-allow-ips', '203.0.113.9']);
    const port = portOf(gu.url);
    const proxied = `PROXY TCP4 203.0.113.9 127.0.0.1 51234 ${port}\r\n`;
    const seen = jsonBody(await rawExchange(port, `${proxied}GET /scope HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n`));
    expect(seen.client).toEqual(['203.0.113.9', 51234]);
    expect(seen.scheme).toBe('https');
    // From a peer not in forwarded_allow_ips the header is removed before the app sees it.
    const untrusted = jsonBody(await rawExchange(port, `PROXY TCP4 198.51.100.7 127.0.0.1 4000 ${port}\r\nGET /scope HTTP/1.1\r\nHost: a\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n`));
    expect(untrusted.scheme).toBe('http');
    expect(untrusted.headers.map(([name]) => name)).not.toContain('x-forwarded-proto');
  });

  it('gives [path, null] as server on a unix socket, and no client', async () => {
    const socketPath = join(tempDir('gu-asgi-unix-'), 'gu.sock');
    const gu = await startGu([httpApp, '-k', 'asgi', '-b', `unix:${socketPath}`]);
    expect(gu.stderr).toContain(`Listening at: unix:${socketPath}`);
    const seen = await new Promise<SeenScope>((resolve, reject) => {
      http.get({ socketPath, path: '/scope' }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body) as SeenScope));
      }).on('error', reject);
    });
    expect(seen.server).toEqual([socketPath, null]);
    expect(seen.client).toBeNull();
  });

  it('says https under TLS', async () => {
    const dir = tempDir('gu-asgi-tls-');
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const gu = await startGu([httpApp, ...asgi, '--certfile', cert, '--keyfile', key]);
    const seen = await new Promise<SeenScope>((resolve, reject) => {
      https.get(`${gu.url}/scope`, { rejectUnauthorized: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(JSON.parse(body) as SeenScope));
      }).on('error', reject);
    });
    expect(seen.scheme).toBe('https');
  });
});
