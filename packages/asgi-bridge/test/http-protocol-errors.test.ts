// The app's protocol errors under -k asgi: each is answered 500 while nothing of the response was
// written (the connection is cut once something was), logged as ONE error line saying what the app
// did wrong, and costs nothing to the other requests. One gu serves the table (its worker must
// survive every case); each case is told apart in the log by its own route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, startGu, type GuProcess } from '@gu/testkit';
import { asgi, httpApp, portOf, rawExchange } from './http-support.js';

let gu: GuProcess;

beforeAll(async () => {
  gu = await startGu([httpApp, ...asgi, '-w', '1']);
});
afterAll(cleanUp);

/** How the client sees the end of a response the app got wrong. */
type Answer = '500' | 'cut';

const cases: readonly [route: string, answer: Answer, logged: string][] = [
  ['/error/body-before-start', '500', 'ASGI app sent http.response.body before http.response.start'],
  ['/error/second-start', '500', 'ASGI app sent a second http.response.start'],
  ['/error/no-response', '500', 'ASGI app returned without sending http.response.start'],
  ['/error/start-only', '500', 'ASGI app returned after http.response.start without sending http.response.body'],
  ['/error/unfinished', 'cut', 'ASGI app returned before its response was complete (the last http.response.body had more_body: true)'],
  ['/error/status', '500', 'ASGI app sent http.response.start with status number 1000: expected an integer from 200 to 599'],
  ['/error/status-string', '500', 'ASGI app sent http.response.start with status a string "200": expected an integer from 200 to 599'],
  ['/error/header-strings', '500', 'ASGI app sent http.response.start with headers[0] name a string "content-type": expected a Uint8Array'],
  ['/error/header-name', '500', 'ASGI app sent http.response.start with an invalid header: Header name must be a valid HTTP token ["bad name"]'],
  ['/error/header-value', '500', 'ASGI app sent http.response.start with an invalid header: Invalid character in header content ["x-injected"]'],
  ['/error/body-string', '500', 'ASGI app sent http.response.body with body a string "a string": expected a Uint8Array'],
  ['/error/unknown-type', '500', 'ASGI app sent a message of type "http.response.begin", which an http scope does not take'],
  ['/error/too-long', '500', 'ASGI app sent 4 bytes of body, more than its content-length header (3)'],
  ['/error/pathsend-missing', '500', 'ASGI app sent http.response.pathsend for /nonexistent/gu-asgi-test-file, which cannot be sent: ENOENT'],
  ['/error/trailers-unannounced', 'cut', 'ASGI app sent http.response.trailers, but its http.response.start did not set trailers: true'],
  ['/error/caught', '500', 'ASGI app sent http.response.body before http.response.start'],
  ['/error/throw', '500', 'Error handling request GET /error/throw HTTP/1.1'],
  ['/error/throw-mid-body', 'cut', 'Error handling request GET /error/throw-mid-body HTTP/1.1'],
];

/** Error records of the log that name `route` (a record's stack lines follow it, unprefixed). */
function errorRecordsOf(route: string): string[] {
  return gu.stderr.split('\n').filter((line) => line.includes('[ERROR]') && (line.includes(`(request GET ${route})`) || line.includes(`GET ${route} HTTP/1.1`)));
}

describe('protocol errors and failing apps', () => {
  it.each(cases)('%s → %s and one error line', async (route, answer, logged) => {
    const raw = await rawExchange(portOf(gu.url), `GET ${route} HTTP/1.1\r\nHost: a\r\n\r\n`);
    if (answer === '500') {
      expect(raw).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
      expect(raw).toMatch(/\r\nConnection: close\r\n/);
      expect(raw.endsWith('\r\n\r\nInternal Server Error\n')).toBe(true);
    } else {
      // The head and some body went out: the connection is cut before the chunked body's last chunk.
      expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n[0-9a-f]+\r\n\w+\r\n$/);
    }
    await gu.waitForLog(new RegExp(`\\[ERROR\\] ${escapeRegExp(logged)}`));
    // A later request's line is the barrier: anything this case still logged would be in by then.
    await rawExchange(portOf(gu.url), `GET /error/no-response?after=${route} HTTP/1.1\r\nHost: a\r\n\r\n`);
    await gu.waitForLog(new RegExp(`\\(request GET /error/no-response\\?after=${escapeRegExp(route)}\\)`));
    expect(errorRecordsOf(route)).toEqual([expect.stringContaining(logged)]);
  });

  it('logs the stack of an app that raises, and tells an app that catches its protocol error', async () => {
    await rawExchange(portOf(gu.url), 'GET /error/throw HTTP/1.1\r\nHost: a\r\n\r\n');
    await gu.waitForLog(/Error: the app broke before answering\n\s+at /);
    await gu.waitForLog(/\[http-app\] caught: send rejected with GU_ERR_ASGI_PROTOCOL/);
  });

  it('keeps serving other requests with the same worker', async () => {
    const raw = await rawExchange(portOf(gu.url), 'GET /scope HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(gu.workerPids).toHaveLength(1);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
