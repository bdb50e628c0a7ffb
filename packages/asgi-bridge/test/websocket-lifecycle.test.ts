import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, tempDir } from '@gu/testkit';
import { connect, seenByWorker, startAsgi } from './websocket-support.js';

afterEach(cleanUp);

function isRunning(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('asgi worker: WebSocket keep-alive (websocket_ping_interval)', () => {
  it('terminates a client that answers no ping, and keeps one that does open past several intervals', async () => {
    const gu = await startAsgi('websocket-echo.mjs', ['--websocket-ping-interval', '1']);
    const live = await connect(gu, '/echo');
    let pings = 0;
    live.ws.on('ping', () => (pings += 1));
    const dead = await connect(gu, '/record', [], { autoPong: false });
    const openedAt = performance.now();
    // No pong for the first ping: the next tick (1 to 2 intervals later) terminates it.
    expect((await dead.closed).code).toBe(1006);
    const lived = performance.now() - openedAt;
    expect(lived).toBeGreaterThan(900);
    expect(lived).toBeLessThan(4000);
    await expect.poll(() => seenByWorker(gu)).toContainEqual({ path: '/record', type: 'websocket.disconnect', code: 1006, reason: '' });
    // The live client answered every ping and is still served after 3 s in all.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3000 - (performance.now() - openedAt))));
    expect(pings).toBeGreaterThanOrEqual(2);
    live.ws.send('still here');
    expect(await live.nextText()).toBe('still here');
  });

  it('sends no pings with --websocket-ping-interval 0', async () => {
    const gu = await startAsgi('websocket-echo.mjs', ['--websocket-ping-interval', '0']);
    const client = await connect(gu, '/echo', [], { autoPong: false });
    let pings = 0;
    client.ws.on('ping', () => (pings += 1));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    client.ws.send('alive');
    expect(await client.nextText()).toBe('alive');
    expect(pings).toBe(0);
  });
});

describe('asgi worker: WebSockets on a graceful stop', () => {
  it('TERM: the client gets 1001 after every message the app had sent, and the worker exits 0', async () => {
    const gu = await startAsgi('websocket-echo.mjs', ['--graceful-timeout', '20']);
    const reader = await connect(gu, '/flood');
    // The client stops reading: the app's sends fill the socket, then wait (back-pressure).
    reader.ws.pause();
    let sent = -1;
    for (;;) {
      const counter = await connect(gu, '/count');
      const now = Number(await counter.nextText());
      counter.ws.close();
      if (now === sent) break;
      sent = now;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(sent).toBeGreaterThan(0);
    gu.signal('SIGTERM');
    await gu.waitForLog(/Handling signal: term/);
    reader.ws.resume();
    expect(await reader.closed).toEqual({ code: 1001, reason: 'server shutdown' });
    // Every send that had resolved, and the one waiting for the socket, came before the close frame.
    expect(reader.received).toBeGreaterThanOrEqual(sent);
    expect(reader.received).toBeLessThanOrEqual(sent + 1);
    expect((await gu.exited).code).toBe(0);
    expect(gu.stderr).not.toMatch(/Graceful timeout|ERROR/);
  });

  it('HUP: open sockets get 1012 and new sockets are served by the new worker', async () => {
    const gu = await startAsgi('websocket-echo.mjs', ['--graceful-timeout', '20']);
    const [old] = gu.workerPids;
    const before = await connect(gu, '/pid');
    expect(Number(await before.nextText())).toBe(old);
    gu.signal('SIGHUP');
    expect(await before.closed).toEqual({ code: 1012, reason: 'server reload' });
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    const after = await connect(gu, '/pid');
    const pid = Number(await after.nextText());
    expect(pid).not.toBe(old);
    expect(gu.workerPids).toContain(pid);
    after.ws.send('hello new worker');
    await expect.poll(() => isRunning(old), { timeout: 10_000 }).toBe(false);
    expect(isRunning(pid)).toBe(true);
  });

  it('upgrades are access-logged with 101 and count for max_requests: the recycled worker closes its sockets with 1012', async () => {
    const accesslog = join(tempDir('gu-ws-log-'), 'access.log');
    const gu = await startAsgi('websocket-echo.mjs', ['--max-requests', '2', '--access-logfile', accesslog, '--graceful-timeout', '20']);
    const [first] = gu.workerPids;
    const one = await connect(gu, '/pid');
    expect(Number(await one.nextText())).toBe(first);
    expect(gu.matches(/Autorestarting worker/)).toHaveLength(0);
    // The second upgrade starts the stop: it is still accepted (not refused as the stop drains),
    // then closed at once with the stop's code, before the app's first message.
    const two = await connect(gu, '/pid');
    await gu.waitForLog(/Autorestarting worker after current request\./);
    expect(await one.closed).toEqual({ code: 1012, reason: 'server recycle' });
    expect(await two.closed).toEqual({ code: 1012, reason: 'server recycle' });
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    const three = await connect(gu, '/pid');
    expect(Number(await three.nextText())).not.toBe(first);
    three.ws.close();
    await three.closed;
    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    const lines = readFileSync(accesslog, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/"GET \/pid HTTP\/1\.1" 101 /);
    expect(two.received).toBe(0);
  });
});
