import { connect as netConnect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp } from '@gu/testkit';
import { connect, refusal, startAsgi } from './websocket-support.js';

afterEach(cleanUp);

const accessLine = (path: string, status: number): RegExp => new RegExp(`"GET ${path} HTTP/1\\.1" ${status} `);

/** The raw answer to a hand-written upgrade request (for requests the ws client cannot send). */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(port), hostname, () => socket.end(request));
    let answer = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => { resolve(answer); });
    socket.on('error', reject);
  });
}

describe('asgi worker: WebSocket handshakes the app refuses or fails', () => {
  it('answers websocket.http.response with the app\'s status, headers and streamed body, and logs it', async () => {
    const gu = await startAsgi('websocket-echo.mjs', ['--access-logfile', '-']);
    const answer = await refusal(gu, '/deny');
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="gu"');
    expect(answer.headers['content-type']).toBe('text/plain');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toBe('no token, no socket\n');
    await gu.waitForLog(accessLine('/deny', 401));
  });

  it('answers 403 when the app closes before accepting', async () => {
    const gu = await startAsgi('websocket-echo.mjs', ['--access-logfile', '-']);
    const answer = await refusal(gu, '/forbidden');
    expect([answer.status, answer.body]).toEqual([403, 'Forbidden\n']);
    await gu.waitForLog(accessLine('/forbidden', 403));
    expect(gu.matches(/\[ERROR\]/)).toEqual([]);
  });

  it('answers 500 when the app throws before accepting, with one error record and its stack', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const answer = await refusal(gu, '/throw-before-accept');
    expect(answer.status).toBe(500);
    await gu.waitForLog(/Error handling WebSocket \/throw-before-accept\nError: boom before accept\n\s+at /);
    expect(gu.matches(/\[ERROR\]/)).toHaveLength(1);
  });

  it('answers 500 when the app sends before accepting, with one line naming what it did wrong', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const answer = await refusal(gu, '/send-before-accept');
    expect(answer.status).toBe(500);
    await gu.waitForLog(/\[ERROR\] ASGI app error on WebSocket \/send-before-accept: websocket\.send is not allowed now: websocket\.accept was not sent\n/);
    // The app rethrew the rejection of its send: still one record.
    await connect(gu, '/echo');
    expect(gu.matches(/\[ERROR\]/)).toHaveLength(1);
  });

  it('closes with 1011 when the app throws after accepting, logging the stack once', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const client = await connect(gu, '/throw-after-accept');
    client.ws.send('go');
    expect((await client.closed).code).toBe(1011);
    await gu.waitForLog(/\[ERROR\] Error handling WebSocket \/throw-after-accept\nError: boom after accept\n\s+at /);
    expect(gu.matches(/\[ERROR\]/)).toHaveLength(1);
  });

  it('leaves a malformed handshake to ws (400) without calling the app', async () => {
    const gu = await startAsgi('websocket-echo.mjs', ['--access-logfile', '-']);
    const host = new URL(gu.url).host;
    const answer = await rawExchange(gu.url, `GET /throw-before-accept HTTP/1.1\r\nHost: ${host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    await gu.waitForLog(accessLine('/throw-before-accept', 400));
    expect(gu.matches(/boom before accept/)).toEqual([]);
  });
});
