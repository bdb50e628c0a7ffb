import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, type GuProcess } from '@gu/testkit';
import { connect, startAsgi } from './websocket-support.js';

afterEach(cleanUp);

const MiB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The fixture's count of 1 KiB messages its /flood sockets have sent (sends that resolved). */
async function flooded(gu: GuProcess): Promise<number> {
  const counter = await connect(gu, '/count');
  const count = Number(await counter.nextText());
  counter.ws.close();
  return count;
}

function rssBytes(pid: number | undefined): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return Number(match?.[1]) * 1024;
}

describe('asgi worker: WebSocket back-pressure', () => {
  it('an app sending faster than its client reads waits for the socket instead of filling memory', async () => {
    const gu = await startAsgi('websocket-echo.mjs');
    const reader = await connect(gu, '/flood');
    reader.ws.pause();
    // The sends stall once the socket's buffers and the bridge's 64 KiB are full.
    let previous = -1;
    let count = await flooded(gu);
    while (count !== previous) {
      await sleep(300);
      [previous, count] = [count, await flooded(gu)];
    }
    // Kernel buffers on loopback hold a few MiB: far fewer messages than an unbounded loop sends.
    expect(count).toBeGreaterThan(0);
    expect(count * 1024).toBeLessThan(16 * MiB);
    reader.ws.resume();
    // The flood goes on, and the worker still serves other sockets (/count) meanwhile: sends that
    // resolve at once yield to the event loop now and then.
    await expect.poll(() => flooded(gu)).toBeGreaterThan(count + 1000);
    expect(reader.received).toBeGreaterThan(count);
  });

  it('a client sending to an app that does not read is held back by TCP, not buffered by the worker', async () => {
    const gu = await startAsgi('websocket-echo.mjs', ['--websocket-ping-interval', '1']);
    const [worker] = gu.workerPids;
    const writer = await connect(gu, '/never-reads');
    const before = rssBytes(worker);
    const chunk = Buffer.alloc(64 * 1024, 7);
    for (let i = 0; i < 1024; i += 1) writer.ws.send(chunk); // 64 MiB
    // The worker stops reading after 1 MiB queued: most of it stays in the client's own buffer.
    await sleep(2500);
    expect(writer.ws.bufferedAmount).toBeGreaterThan(32 * MiB);
    expect(rssBytes(worker) - before).toBeLessThan(32 * MiB);
    // Held back for 2.5 s with pings every second, yet not taken for dead: its pongs wait unread.
    expect(writer.ws.readyState).toBe(writer.ws.OPEN);
    writer.ws.terminate();
  });
});
