import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import type { Peer, RequestTask } from '../protocol.js';

/**
 * The socket an app sees as `req.socket` in a thread: the peer's addresses (and, for TLS,
 * `encrypted`, which Express reads for `req.protocol`, and `authorized`, which tells an app under
 * `cert_reqs` optional whether the client's certificate verified), no bytes. The real socket stays
 * on the main thread.
 */
class PeerSocket extends EventEmitter {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  readonly encrypted: true | undefined;
  readonly authorized: boolean | undefined;
  // on-finished (Express's body-parser) takes a request on an unreadable socket for a finished one.
  readonly readable = true;
  writable = true;
  destroyed = false;

  constructor(peer: Peer) {
    super();
    this.remoteAddress = peer.remoteAddress;
    this.remotePort = peer.remotePort;
    this.remoteFamily = peer.remoteFamily;
    this.localAddress = peer.localAddress;
    this.localPort = peer.localPort;
    if (peer.encrypted) {
      this.encrypted = true;
      this.authorized = peer.authorized;
    }
  }

  destroy(): this {
    this.destroyed = true;
    this.writable = false;
    return this;
  }
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  address(): { address: string | undefined; port: number | undefined; family: string | undefined } {
    return { address: this.localAddress, port: this.localPort, family: this.remoteFamily };
  }
}

/**
 * A real `http.IncomingMessage` (so Express, which swaps its prototype, and Koa find everything they
 * expect), filled from the serialised head. `pull` is called once the app first reads the body; the
 * body then arrives through `req.push`, and `read` is called each time the app wants more.
 */
export function rebuildRequest(task: RequestTask, onRead: () => void): IncomingMessage {
  const req = new IncomingMessage(new PeerSocket(task.peer) as never);
  req.method = task.method;
  req.url = task.url;
  req.httpVersion = task.httpVersion;
  const [major, minor] = task.httpVersion.split('.');
  req.httpVersionMajor = Number(major);
  req.httpVersionMinor = Number(minor);
  req.rawHeaders = task.rawHeaders as string[];
  req.headers = task.headers;
  req._read = onRead;
  if (!task.body) {
    req.complete = true;
    req.push(null);
  }
  return req;
}
