import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerBootError } from '../../src/errors.js';
import { listenOnHandle } from '../../src/sockets/listen-on-handle.js';

const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

// The happy path runs in real worker processes: handoff.test.ts and unix-socket.test.ts.
describe('listenOnHandle', () => {
  it.each([
    ['undefined', undefined],
    ['a plain object', { fd: 3 }],
    ['a net.Server', net.createServer()],
  ])('rejects %s as a handle, with a WorkerBootError', async (_what, handle) => {
    const server = net.createServer();
    await expect(listenOnHandle(server, handle, 64)).rejects.toThrow(WorkerBootError);
    expect(server.listening).toBe(false);
  });

  it('rejects a server that already listens', async () => {
    const server = net.createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const handle = (server as unknown as { _handle: unknown })._handle;
    await expect(listenOnHandle(server, handle, 64)).rejects.toThrow('server already listens');
  });
});
