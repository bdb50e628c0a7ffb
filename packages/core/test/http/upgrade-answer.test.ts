import { describe, expect, it } from 'vitest';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { rejectUpgrade, watchStatusLine } from '../../src/http/upgrade-answer.js';

/** A connected pair of real sockets on 127.0.0.1: the server's end and the client's. */
async function socketPair(): Promise<{ server: net.Socket; client: net.Socket; done: () => void }> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const client = net.connect((listener.address() as AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  return { server, client, done: () => { client.destroy(); server.destroy(); listener.close(); } };
}

function readAll(socket: net.Socket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  return new Promise((resolve) => socket.once('close', () => { resolve(text); }));
}

describe('rejectUpgrade', () => {
  it('writes the raw status line with Connection: close, then closes the connection', async () => {
    const { server, client, done } = await socketPair();
    const read = readAll(client);
    rejectUpgrade(server, 431);
    expect(await read).toBe('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    done();
  });
});

describe('watchStatusLine', () => {
  it('reports the status of the first write (a Buffer) once, and leaves later writes alone', async () => {
    const { server, client, done } = await socketPair();
    const seen: number[] = [];
    watchStatusLine(server, (status) => seen.push(status));
    const read = readAll(client);
    server.write(Buffer.from('HTTP/1.1 101 Switching Protocols\r\n\r\n'));
    server.write('HTTP/1.1 200 OK\r\n');
    server.end();
    expect(await read).toBe('HTTP/1.1 101 Switching Protocols\r\n\r\nHTTP/1.1 200 OK\r\n');
    expect(seen).toEqual([101]);
    expect(Object.hasOwn(server, 'write')).toBe(false);
    expect(Object.hasOwn(server, 'end')).toBe(false);
    done();
  });

  it('reports a refusal written with end(chunk), as ws writes one', async () => {
    const { server, client, done } = await socketPair();
    const seen: number[] = [];
    watchStatusLine(server, (status) => seen.push(status));
    const read = readAll(client);
    server.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
    expect(await read).toMatch(/^HTTP\/1\.1 401 /);
    expect(seen).toEqual([401]);
    done();
  });

  it('reports a refusal written by rejectUpgrade, and 0 for a connection closed unanswered', async () => {
    const refused = await socketPair();
    const refusedSeen: number[] = [];
    watchStatusLine(refused.server, (status) => refusedSeen.push(status));
    const read = readAll(refused.client);
    rejectUpgrade(refused.server, 503);
    await read;
    expect(refusedSeen).toEqual([503]);
    refused.done();

    const silent = await socketPair();
    const silentSeen: number[] = [];
    watchStatusLine(silent.server, (status) => silentSeen.push(status));
    const closed = new Promise((resolve) => silent.server.once('close', resolve));
    silent.server.destroy();
    await closed;
    expect(silentSeen).toEqual([0]);
    silent.done();
  });
});
