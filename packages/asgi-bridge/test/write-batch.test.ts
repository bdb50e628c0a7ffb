// WriteBatch: what an app sends in a turn of the event loop is held (corked) and written at its end.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteBatch } from '../src/websocket/write-batch.js';

const opened: net.Socket[] = [];
let server: net.Server | null = null;

afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
  server?.close();
  server = null;
});

/** A connected pair on 127.0.0.1: the client end, and the server end's reading of it until its end. */
async function connectedSocket(): Promise<{ socket: net.Socket; receivedUntilEnd: Promise<string> }> {
  let peerRead: (text: string) => void = () => undefined;
  const receivedUntilEnd = new Promise<string>((resolve) => (peerRead = resolve));
  server = net.createServer((peer) => {
    opened.push(peer);
    let text = '';
    peer.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
    peer.once('end', () => { peerRead(text); });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  opened.push(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, receivedUntilEnd };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('WriteBatch', () => {
  it('holds what is written in this turn and writes it, in order, at the turn\'s end', async () => {
    const { socket } = await connectedSocket();
    const batch = new WriteBatch();
    batch.hold(socket);
    socket.write('one,');
    batch.hold(socket);
    socket.write('two');
    expect(socket.writableCorked).toBe(1);
    expect(socket.writableLength).toBe('one,two'.length);
    await nextTurn();
    expect(socket.writableCorked).toBe(0);
    expect(socket.writableLength).toBe(0);
  });

  it('a socket ended while held sends what it held, then ends', async () => {
    const { socket, receivedUntilEnd } = await connectedSocket();
    const batch = new WriteBatch();
    batch.hold(socket);
    socket.write('held,');
    socket.end('last');
    expect(await receivedUntilEnd).toBe('held,last');
  });

  it('a turn with nothing held schedules nothing: the next hold corks again', async () => {
    const { socket, receivedUntilEnd } = await connectedSocket();
    const batch = new WriteBatch();
    batch.hold(socket);
    socket.write('a');
    await nextTurn();
    batch.hold(socket);
    expect(socket.writableCorked).toBe(1);
    socket.write('b');
    await nextTurn();
    expect(socket.writableCorked).toBe(0);
    socket.end();
    expect(await receivedUntilEnd).toBe('ab');
  });
});
