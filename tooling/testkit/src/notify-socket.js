// A datagram socket standing in for systemd's NOTIFY_SOCKET: what a Type=notify unit's manager
// would receive from gu (READY=1, RELOADING=1, STOPPING=1, STATUS=…, WATCHDOG=1).
import { createRequire } from 'node:module';

/**
 * unix-dgram (a small addon, also gu's optional dependency) since node:dgram has no unix datagram
 * sockets; loaded on first use, so that the kit loads where the addon could not be built.
 * @returns {{ createSocket(type: 'unix_dgram', onMessage: (message: Buffer) => void): { bind(path: string): void; close(): void } }}
 */
const unixDgram = () => createRequire(import.meta.url)('unix-dgram');

/**
 * Binds `address` (a path, or `@name` for an abstract socket) and keeps every datagram, in order.
 * @param {string} address
 * @returns {import('./index.js').FakeSystemd}
 */
export function fakeSystemd(address) {
  /** @type {string[]} */
  const messages = [];
  const socket = unixDgram().createSocket('unix_dgram', (message) => messages.push(message.toString()));
  socket.bind(address.startsWith('@') ? `\0${address.slice(1)}` : address);
  /** The first line of each message but the STATUS= and WATCHDOG=1 ones: READY=1, RELOADING=1, STOPPING=1… */
  const kinds = () => messages.map((message) => message.split('\n')[0] ?? '').filter((line) => !line.startsWith('STATUS=') && line !== 'WATCHDOG=1');
  return { messages, kinds, close: () => socket.close() };
}
