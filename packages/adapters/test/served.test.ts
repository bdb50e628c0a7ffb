// What only some servers of the matrix show: Fastify's WebSocket routes and logger under async, the
// one line for an app of unknown shape.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, runGu, startGu } from '@gu/testkit';
import { fixtures } from './matrix/define-matrix.js';

afterEach(cleanUp);

/** Opens the fixture's /ws route, sends `text`, and returns the open socket with the echo it got. */
async function openEcho(url: string, text: string): Promise<{ socket: WebSocket; echo: string }> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`);
  const echoed = new Promise<string>((resolve, reject) => {
    socket.onmessage = (event) => { resolve(String(event.data)); };
    socket.onerror = () => { reject(new Error('WebSocket failed')); };
  });
  await new Promise((resolve) => { socket.onopen = resolve; });
  socket.send(text);
  return { socket, echo: await echoed };
}

describe('@gu/adapters under the real gu', () => {
  it('Fastify: a @fastify/websocket route gets its upgrades (echo under -k async), and Fastify\'s logger writes as usual', async () => {
    const gu = await startGu(['fastify-app.mjs:app', '-b', '127.0.0.1:0'], { cwd: fixtures });
    const { socket, echo } = await openEcho(gu.url, 'hello gu');
    expect(echo).toBe('echo: hello gu');
    socket.close();
    await gu.waitForLog(/"url":"\/ws".*"msg":"incoming request"/);
  });

  it('Fastify under -k sync: the WebSocket is served, and holds its worker until it closes (README)', async () => {
    const gu = await startGu(['fastify-app.mjs:app', '-k', 'sync', '-w', '1', '-b', '127.0.0.1:0'], { cwd: fixtures });
    const { socket, echo } = await openEcho(gu.url, 'hello sync');
    expect(echo).toBe('echo: hello sync');
    let answered = false;
    const request = fetch(`${gu.url}/hello`).then((response) => {
      answered = true;
      return response.status;
    });
    // Not answered while the WebSocket holds the only worker; answered once it closes.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(answered).toBe(false);
    socket.close();
    expect(await request).toBe(200);
  });

  it('an export of unknown shape: exit 4, one line naming what was found, what is accepted, and a fix', async () => {
    const result = await runGu(['unknown-shape.mjs:app', '-b', '127.0.0.1:0'], { cwd: fixtures });
    expect(result.code).toBe(4);
    const lines = result.stderr.split('\n').filter((line) => line.includes('Cannot load app'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/Cannot load app "unknown-shape\.mjs:app": it is an object with keys handler, port; gu serves a request listener \(req, res\), an Express, Koa, Fastify or NestJS app, or a fetch-style app .*; export the app as created, e\.g\. export const app = express\(\) with gu app\.js:app/);
  });
});
