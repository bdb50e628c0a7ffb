import { createRequire } from 'node:module';

/** What gu needs of unix-dgram's socket (the package ships no types). */
interface UnixDgramSocket {
  send(buffer: Buffer, offset: number, length: number, path: string, callback?: (error?: Error) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}
interface UnixDgram {
  createSocket(type: 'unix_dgram'): UnixDgramSocket;
}

/** Sends datagrams to the socket systemd named in NOTIFY_SOCKET. */
export interface NotifySocket {
  send(message: string): void;
  close(): void;
}

/**
 * NOTIFY_SOCKET as sd_notify(3) reads it: an absolute path, or `@name` for a socket in the abstract
 * namespace (a leading NUL byte on the wire). Anything else is not for us (null).
 */
export function notifySocketAddress(value: string | undefined): string | null {
  if (value === undefined || value.length < 2) return null;
  if (value.startsWith('@')) return `\0${value.slice(1)}`;
  return value.startsWith('/') ? value : null;
}

/**
 * Opens a unix datagram socket to `address`, through the optional unix-dgram addon (node:dgram has
 * only UDP). Throws when the addon is not installed or was not compiled; the caller logs why.
 */
export function openNotifySocket(address: string, onError: (error: Error) => void): NotifySocket {
  const unixDgram = createRequire(import.meta.url)('unix-dgram') as UnixDgram;
  const socket = unixDgram.createSocket('unix_dgram');
  socket.on('error', onError);
  return {
    send(message) {
      const buffer = Buffer.from(message);
      // One datagram per call: systemd reads each as a whole set of assignments, newline-separated.
      socket.send(buffer, 0, buffer.length, address, (error) => {
        if (error) onError(error);
      });
    },
    close() {
      socket.close();
    },
  };
}
