import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BindError, ExitCode } from '../../src/errors.js';
import { bindListeners } from '../../src/sockets/bind-listeners.js';
import type { ArbiterListener } from '../../src/sockets/bind-listeners.js';
import { sendWithHandle } from '../../src/sockets/send-handle.js';
import { nextMessage, releasedAfterEach, servedBy, startChild } from './children.js';

const { open, servers, folders } = releasedAfterEach();

async function bind(...addresses: Parameters<typeof bindListeners>[0]): Promise<ArbiterListener[]> {
  const listeners = await bindListeners(addresses, { backlog: 64 });
  open.push(...listeners);
  return listeners;
}

async function takenPort(): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return (server.address() as net.AddressInfo).port;
}

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'gu-bind-'));
  folders.push(folder);
  return folder;
}

function portOf(listener: ArbiterListener | undefined): number {
  if (listener?.address.kind !== 'tcp') throw new Error('expected a TCP listener');
  return listener.address.port;
}

function hasIpv6Loopback(): boolean {
  return Object.values(networkInterfaces()).some((list) => list?.some((i) => i.family === 'IPv6' && i.address === '::1'));
}

/** A documentation address (RFC 5737) that no interface of this machine has. */
function foreignAddress(): string {
  const local = new Set(Object.values(networkInterfaces()).flatMap((list) => list?.map((i) => i.address) ?? []));
  const found = ['203.0.113.77', '198.51.100.77', '192.0.2.77'].find((address) => !local.has(address));
  if (found === undefined) throw new Error('every documentation address is local here');
  return found;
}

function canBindPrivilegedPort(): boolean {
  const start = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
  return process.getuid?.() === 0 || start <= 1;
}

describe('bindListeners errors', () => {
  it("reports an address in use with Gunicorn's wording, as a BindError with exit code 5", async () => {
    const port = await takenPort();
    const failure = bind({ kind: 'tcp', host: '127.0.0.1', port });
    await expect(failure).rejects.toThrow(BindError);
    await expect(failure).rejects.toMatchObject({
      message: `Connection in use: 127.0.0.1:${port}`,
      code: 'GU_ERR_BIND',
      exitCode: ExitCode.BIND,
    });
  });

  it('sees an address held by another arbiter (bound and listening, never accepting) as in use', async () => {
    const port = portOf((await bind({ kind: 'tcp', host: '127.0.0.1', port: 0 }))[0]);
    await expect(bind({ kind: 'tcp', host: '127.0.0.1', port })).rejects.toThrow(`Connection in use: 127.0.0.1:${port}`);
  });

  it('closes the listeners already bound when a later address fails', async () => {
    const folder = await tempFolder();
    const path = join(folder, 'first.sock');
    const port = await takenPort();
    await expect(bind({ kind: 'unix', path }, { kind: 'tcp', host: '127.0.0.1', port })).rejects.toThrow(BindError);
    expect(existsSync(path)).toBe(false);
  });

  // Root may bind any port; bind-errors.test.ts covers the wording everywhere.
  it.skipIf(canBindPrivilegedPort())('reports a privileged port as permission denied (not as root)', async () => {
    await expect(bind({ kind: 'tcp', host: '127.0.0.1', port: 1 })).rejects.toThrow('Permission denied: 127.0.0.1:1');
  });

  it('reports an address of no local interface as invalid (EADDRNOTAVAIL)', async () => {
    const host = foreignAddress();
    await expect(bind({ kind: 'tcp', host, port: 0 })).rejects.toThrow(`Invalid address: ${host}:0`);
  });

  it('names the host that cannot be resolved', async () => {
    await expect(bind({ kind: 'tcp', host: 'no-such-host.invalid', port: 8000 })).rejects.toThrow(
      /no-such-host\.invalid:8000/,
    );
  });

  it('refuses an fd that is a regular file or not open at all', async () => {
    const file = join(await tempFolder(), 'plain.txt');
    const fd = openSync(file, 'w');
    try {
      await expect(bind({ kind: 'fd', fd })).rejects.toThrow(`fd://${fd} is not an open socket`);
    } finally {
      closeSync(fd);
    }
    await expect(bind({ kind: 'fd', fd: 65_000 })).rejects.toThrow('fd://65000 is not an open socket');
  });
});

describe('bindListeners addresses', () => {
  it('binds several addresses at once, each with its own real port', async () => {
    const listeners = await bind({ kind: 'tcp', host: '127.0.0.1', port: 0 }, { kind: 'tcp', host: '127.0.0.1', port: 0 });
    const ports = listeners.map(portOf);
    expect(new Set(ports).size).toBe(2);
    expect(listeners.map((listener) => listener.display)).toEqual(ports.map((port) => `http://127.0.0.1:${port}`));
  });

  it('resolves a host name to its IPv4 address first, as Gunicorn, and shows the address it bound', async () => {
    const [listener] = await bind({ kind: 'tcp', host: 'localhost', port: 0 });
    expect(listener!.address.kind).toBe('tcp');
    expect((listener!.address as { host: string }).host).toBe('127.0.0.1');
    expect(listener!.display).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it.skipIf(!hasIpv6Loopback())('binds the IPv6 loopback [::1]:0 and a worker serves it', async () => {
    const [listener] = await bind({ kind: 'tcp', host: '::1', port: 0 });
    const port = portOf(listener);
    expect(listener!.display).toBe(`http://[::1]:${port}`);
    const { child } = await startChild('listen-child.js');
    const answer = nextMessage(child);
    await sendWithHandle(child, { cmd: 'listen', backlog: 64 }, listener!.handle);
    expect(await answer).toEqual({ event: 'listening' });
    expect(await servedBy({ host: '::1', port })).toBe(child.pid);
  });
});
