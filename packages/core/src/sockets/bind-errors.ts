import { getSystemErrorMessage, getSystemErrorName } from 'node:util';
import { BindError } from '../errors.js';
import type { BindAddress } from './bind-address.js';

/** How a failed bind reads, by errno name. Gunicorn's wording where it has one. */
const MESSAGES: Readonly<Record<string, (target: string) => string>> = {
  EADDRINUSE: (target) => `Connection in use: ${target}`,
  EACCES: (target) => `Permission denied: ${target}`,
  EPERM: (target) => `Permission denied: ${target}`,
  EADDRNOTAVAIL: (target) => `Invalid address: ${target}`,
  ENOTSOCK: (target) => `${target} is not an open socket`,
  EBADF: (target) => `${target} is not an open socket`,
  ENOTFOUND: (target) => `Unknown host: ${target}`,
  EAI_AGAIN: (target) => `Cannot resolve host (try again later): ${target}`,
};

/** The address as the user wrote it, without a scheme: `127.0.0.1:8000`, `[::1]:8000`, `unix:/x`, `fd://3`. */
export function describeBindTarget(address: BindAddress): string {
  switch (address.kind) {
    case 'tcp':
      return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
    case 'unix':
      return `unix:${address.path}`;
    case 'fd':
      return `fd://${address.fd}`;
  }
}

/** The BindError for a failed bind or listen, from a negative libuv errno or an errno name. */
export function bindErrorFor(address: BindAddress, errno: number | string, options?: ErrorOptions): BindError {
  const name = typeof errno === 'number' ? getSystemErrorName(errno) : errno;
  const target = describeBindTarget(address);
  const message = MESSAGES[name]?.(target) ?? `Cannot bind ${target}: ${describeErrno(errno, name)}`;
  return new BindError(message, options);
}

function describeErrno(errno: number | string, name: string): string {
  return typeof errno === 'number' ? `${getSystemErrorMessage(errno)} (${name})` : name;
}
