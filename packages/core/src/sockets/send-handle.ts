import type { SendHandle, Serializable } from 'node:child_process';

/** Anything with a child_process IPC `send`: a ChildProcess in the arbiter, `process` in a worker. */
export interface HandleChannel {
  send?: (message: Serializable, sendHandle?: SendHandle, callback?: (error: Error | null) => void) => boolean;
}

/**
 * Sends `message` with a raw listener handle (ArbiterListener.handle) over the IPC channel. Node
 * sends TCP/Pipe wraps as type 'net.Native' and, unlike a net.Socket, keeps the sender's copy open:
 * the arbiter goes on owning the socket. Resolves once written, rejects if the channel is closed.
 */
export function sendWithHandle(channel: HandleChannel, message: Serializable, handle: unknown): Promise<void> {
  const send = channel.send?.bind(channel);
  if (!send) return Promise.reject(new Error('no IPC channel to send the listener handle on'));
  return new Promise((resolve, reject) => {
    // The public typing knows only net.Socket/net.Server/dgram handles; Node also accepts the raw wraps.
    send(message, handle as SendHandle, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}
