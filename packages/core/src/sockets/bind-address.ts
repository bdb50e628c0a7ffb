import { InvalidSettingError } from '../errors.js';

/** One parsed `--bind` value. */
export type BindAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'unix'; readonly path: string }
  | { readonly kind: 'fd'; readonly fd: number };

/** The forms `--bind` accepts, as error messages and the settings reference word them. */
export const BIND_FORMS = 'HOST:PORT, [IPV6]:PORT, HOST, unix:PATH or fd://N';
const DEFAULT_PORT = 8000;

/**
 * Parses one bind value the way Gunicorn does: `HOST:PORT`, `[::1]:PORT`, a bare `HOST` (port 8000),
 * `unix:PATH` and `fd://N`. Throws an InvalidSettingError naming `--bind` otherwise.
 */
export function parseBindAddress(value: string): BindAddress {
  const fail = (): never => {
    throw new InvalidSettingError('bind (-b)', value, BIND_FORMS);
  };
  if (value.startsWith('unix:')) {
    const path = value.slice('unix:'.length);
    return path ? { kind: 'unix', path } : fail();
  }
  if (value.startsWith('fd://')) {
    const fd = value.slice('fd://'.length);
    return /^\d+$/.test(fd) ? { kind: 'fd', fd: Number(fd) } : fail();
  }
  const ipv6 = /^\[([0-9a-fA-F:.%\w]+)\](?::(\d+))?$/.exec(value);
  if (ipv6) return { kind: 'tcp', host: ipv6[1] ?? fail(), port: parsePort(ipv6[2], fail) };
  const hostPort = /^([^\s:[\]/]+)(?::(\d+))?$/.exec(value);
  if (hostPort) return { kind: 'tcp', host: hostPort[1] ?? fail(), port: parsePort(hostPort[2], fail) };
  return fail();
}

function parsePort(text: string | undefined, fail: () => never): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  return port <= 65535 ? port : fail();
}

/** The address as a user reads it in logs: `http://127.0.0.1:8000`, `unix:/tmp/gu.sock`, `fd://3`. */
export function formatBindAddress(address: BindAddress): string {
  switch (address.kind) {
    case 'tcp':
      return `http://${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
    case 'unix':
      return `unix:${address.path}`;
    case 'fd':
      return `fd://${address.fd}`;
  }
}
