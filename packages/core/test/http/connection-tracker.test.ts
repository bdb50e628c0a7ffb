import net, { type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionTracker } from '../../src/http/connection-tracker.js';

let server: net.Server | undefined;
const clients: net.Socket[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
  server?.close();
});

/** A tracker fed every connection a real server accepts, and a client that never closes its side by itself. */
async function trackedConnection(): Promise<{ tracker: ConnectionTracker; accepted: net.Socket; client: net.Socket; changes: () => number }> {
  let changes = 0;
  const tracker = new ConnectionTracker(() => (changes += 1));
  server = net.createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const acceptedNow = once(server, 'connection') as Promise<[net.Socket]>;
  const client = net.connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
  clients.push(client);
  const [accepted] = await acceptedNow;
  tracker.add(accepted);
  return { tracker, accepted, client, changes: () => changes };
}

describe('ConnectionTracker', () => {
  it('counts a connection whose side the worker ended as open but no longer serving, until it closes', async () => {
    const { tracker, accepted, client, changes } = await trackedConnection();
    expect([tracker.size, tracker.serving]).toEqual([1, 1]);
    // As a refused client's answer is sent: written, FIN, then lingering until the client closes.
    accepted.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    await once(accepted, 'finish');
    expect([tracker.size, tracker.serving, changes()]).toEqual([1, 0, 1]);
    client.end();
    await once(accepted, 'close');
    expect([tracker.size, tracker.serving, changes()]).toEqual([0, 0, 2]);
  });

  it('counts a connection destroyed without finishing once', async () => {
    const { tracker, accepted, changes } = await trackedConnection();
    accepted.destroy();
    await once(accepted, 'close');
    expect([tracker.size, tracker.serving, changes()]).toEqual([0, 0, 1]);
  });
});
