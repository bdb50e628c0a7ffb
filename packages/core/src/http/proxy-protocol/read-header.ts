import type { Socket } from 'node:net';
import type { Logger } from '../../logging/logger.js';
import type { ProxyProtocolMode } from '../../settings/http-value-kinds.js';
import type { PeerTrust } from '../peer-trust.js';
import { detect } from './detect.js';
import type { ParseResult, ProxyHeader } from './header.js';

export interface ProxyHeaderReading {
  readonly mode: ProxyProtocolMode;
  /** Whether a peer may send a header (`proxy_allow_ips`; a unix-socket peer always may). */
  readonly allowed: PeerTrust;
  /** How long the connection has to show its header, or that it has none, from the accept. */
  readonly timeoutMs: number;
  readonly log: Logger;
}

/**
 * Reads what a PROXY protocol header a new connection opens with, before anything else sees its
 * bytes. Calls `done` with the header, or null when the connection opens with plain data, the
 * socket paused and the bytes after the header put back (`unshift`) for node:http or TLS to read.
 * Closes the connection instead (and never calls `done`) when a peer not allowed sends a header, the
 * header is malformed (both logged as warnings), the deadline passes, or the peer goes away.
 */
export function readProxyHeader(socket: Socket, reading: ProxyHeaderReading, done: (header: ProxyHeader | null) => void): void {
  const { mode, allowed, timeoutMs, log } = reading;
  let received: Buffer = Buffer.alloc(0);
  let parse: ((bytes: Buffer) => ParseResult) | null = null;
  const peer = socket.remoteAddress ?? 'a unix socket client';

  const stop = (): void => {
    clearTimeout(timer);
    socket.removeListener('data', onData);
    socket.removeListener('error', onGone);
    socket.removeListener('end', onGone);
  };
  const refuse = (level: 'warning' | 'debug', reason: string): void => {
    stop();
    log[level](`Closing the connection from ${peer}: ${reason}`);
    socket.destroy();
  };
  const handOver = (header: ProxyHeader | null, length: number): void => {
    stop();
    socket.pause();
    if (received.length > length) socket.unshift(received.subarray(length));
    done(header);
  };
  function onGone(): void {
    stop();
    socket.destroy();
  }
  function onData(chunk: Buffer): void {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    if (parse === null) {
      const found = detect(received, mode);
      if (found === 'undecided') return;
      if (found === 'none') {
        handOver(null, 0);
        return;
      }
      if (!allowed(socket.remoteAddress)) {
        refuse('warning', 'a PROXY protocol header from a peer not in proxy_allow_ips');
        return;
      }
      parse = found;
    }
    const result = parse(received);
    if (result.status === 'incomplete') return;
    if (result.status === 'invalid') refuse('warning', `invalid PROXY protocol header: ${result.reason}`);
    else handOver(result.header, result.length);
  }

  const timer = setTimeout(() => {
    const what = received.length === 0 ? 'nothing received' : 'the PROXY protocol header still incomplete';
    refuse('debug', `${what} ${timeoutMs} ms after the accept`);
  }, timeoutMs);
  socket.on('data', onData);
  socket.on('error', onGone);
  socket.on('end', onGone);
}
