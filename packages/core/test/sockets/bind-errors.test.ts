import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BindError } from '../../src/errors.js';
import { bindErrorFor, describeBindTarget } from '../../src/sockets/bind-errors.js';

const tcp = { kind: 'tcp', host: '127.0.0.1', port: 80 } as const;

describe('bindErrorFor', () => {
  it.each([
    ['EADDRINUSE', 'Connection in use: 127.0.0.1:80'],
    ['EACCES', 'Permission denied: 127.0.0.1:80'],
    ['EADDRNOTAVAIL', 'Invalid address: 127.0.0.1:80'],
  ] as const)('words %s from a libuv errno', (name, message) => {
    const error = bindErrorFor(tcp, -constants.errno[name]);
    expect(error).toBeInstanceOf(BindError);
    expect(error.message).toBe(message);
  });

  it('falls back to the system message and errno name for other errors', () => {
    expect(bindErrorFor(tcp, -constants.errno.EINVAL).message).toBe('Cannot bind 127.0.0.1:80: invalid argument (EINVAL)');
  });

  it('writes each kind of address as the user would', () => {
    expect(describeBindTarget({ kind: 'tcp', host: '::1', port: 8000 })).toBe('[::1]:8000');
    expect(describeBindTarget({ kind: 'unix', path: '/run/gu.sock' })).toBe('unix:/run/gu.sock');
    expect(describeBindTarget({ kind: 'fd', fd: 3 })).toBe('fd://3');
  });
});
