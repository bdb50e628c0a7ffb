import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { rawGet, sendRaw } from '../support/raw-http.js';

let server: http.Server | undefined;
afterEach(() => server?.close());

describe('what the lingering close relies on in node:http', () => {
  it('ends the socket of a Connection: close response with destroySoon()', async () => {
    const calls: string[] = [];
    server = http.createServer((req, res) => {
      const socket = req.socket;
      const destroySoon = socket.destroySoon.bind(socket);
      socket.destroySoon = () => {
        calls.push('destroySoon');
        destroySoon();
      };
      res.shouldKeepAlive = false;
      res.end('bye');
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const res = await sendRaw(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, rawGet('/'));
    expect(res.status).toBe(200);
    expect(calls).toEqual(['destroySoon']);
  });
});
