import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHeaderLimits, applyHeaderCount } from '../../src/http/node-header-limits.js';
import { rawGet, sendRaw } from '../support/raw-http.js';

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** A bare node:http server with `options` whose handler records the requests it was called with. */
async function serve(options: http.ServerOptions, maxHeadersCount?: number): Promise<{ url: string; seen: IncomingMessage[] }> {
  const seen: IncomingMessage[] = [];
  const server = http.createServer(options, (req, res) => {
    seen.push(req);
    res.end('ok');
  });
  if (maxHeadersCount !== undefined) server.maxHeadersCount = maxHeadersCount;
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const headers = (count: number, size = 10): string[] =>
  Array.from({ length: count }, (_, i) => `X-${String(i).padStart(5, '0')}: ${'v'.repeat(size)}`);

describe('what gu relies on in node:http’s head limits', () => {
  it('answers 431 itself, never calling the handler, beyond maxHeadersCount (default 2000)', async () => {
    const { url, seen } = await serve({}, 5);
    // Host and Connection count: 5 fields pass, 6 do not.
    expect((await sendRaw(url, rawGet('/', headers(3)))).status).toBe(200);
    const over = await sendRaw(url, rawGet('/', headers(4)));
    expect(over.status).toBe(431);
    expect(over.text).toMatch(/\r\n\r\n$/);
    expect(seen).toHaveLength(1);
    const byDefault = await serve({ maxHeaderSize: 1_000_000 });
    expect((await sendRaw(byDefault.url, rawGet('/', headers(1999)))).status).toBe(431);
  });

  it('answers 431 itself beyond maxHeaderSize, which counts the request line too (default 16 KiB)', async () => {
    const { url, seen } = await serve({ maxHeaderSize: 200 });
    expect((await sendRaw(url, rawGet(`/${'a'.repeat(150)}`))).status).toBe(200);
    expect((await sendRaw(url, rawGet(`/${'a'.repeat(250)}`))).status).toBe(431);
    expect(seen).toHaveLength(1);
    const byDefault = await serve({});
    expect((await sendRaw(byDefault.url, rawGet('/', headers(1, 17_000)))).status).toBe(431);
  });

  it('with gu’s settings admits a request one over each limit, so gu’s check decides', async () => {
    const limits = nodeHeaderLimits({ line: 4094, fields: 100, fieldSize: 8190 });
    const { url, seen } = await serve({ maxHeaderSize: limits.maxHeaderSize });
    applyHeaderCount(servers[0] as http.Server, limits);
    // The largest head gu's defaults admit, plus one more field at the size limit.
    const res = await sendRaw(url, rawGet(`/${'a'.repeat(4094 - 14)}`, headers(99, 8190 - 14)));
    expect(res.status).toBe(200);
    expect(seen[0]?.rawHeaders).toHaveLength(202);
    expect(nodeHeaderLimits({ line: 0, fields: 100, fieldSize: 8190 }).maxHeaderSize).toBe(2 ** 31 - 1);
    expect(nodeHeaderLimits({ line: 100, fields: 32768, fieldSize: 8190 }).maxHeadersCount).toBe(32769);
  });
});
