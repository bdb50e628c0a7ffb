/**
 * The one place where the HTTP front relies on node:http (and node:tls) internals or on behaviour
 * node does not document. Each is named here with what the front does with it;
 * `assertNodeHttpInternals()` checks the shape of each when a worker starts, so that a Node release
 * that changes one stops the worker at boot with one clear line instead of misbehaving under load;
 * test/http/node-http-internals.test.ts pins each behaviour on the running Node.
 *
 * Deliberately not relied on: node's own connection tracking. It starts on the server's 'listening'
 * event, which the front (never listening itself: acceptors hand it sockets) does not emit. Without it
 * node enforces no `headersTimeout`/`requestTimeout` (the front's client deadlines do, see
 * client-deadlines.ts) and `closeIdleConnections()`, which `server.close()` calls, does nothing. That
 * matters: since nodejs/node#63470 (Node releases after 24.21) `closeIdleConnections()` also closes
 * connections that have sent nothing yet, which a draining worker must not do (see HttpFront#drain).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { TLSSocket, createSecureContext } from 'node:tls';
import { WorkerBootError } from '../errors.js';

/** A response as node:http keeps it: `_headerSent` is set once its first bytes went out. */
interface NodeResponse extends ServerResponse {
  _headerSent: boolean;
}

/** A connection as node:http keeps it: `_httpMessage` is the response it is writing, if any. */
interface NodeConnection extends Duplex {
  _httpMessage?: NodeResponse | null;
}

/**
 * `socket._httpMessage`: node:http assigns each response to its connection as soon as the request is
 * read (`assignSocket`) and detaches it once the response has finished; node's own socket error path
 * and `closeIdleConnections` read it the same way.
 */
export function responseOnConnection(socket: Duplex): ServerResponse | null {
  return (socket as NodeConnection)._httpMessage ?? null;
}

/** `res._headerSent`: whether any byte of the response has been written to the connection (`headersSent` is true earlier, once `writeHead` ran). */
export function responseBytesSent(res: ServerResponse): boolean {
  return (res as NodeResponse)._headerSent;
}

/**
 * `res.shouldKeepAlive = false` (typed by @types/node, not documented by node): set before the head
 * is written, node adds `Connection: close` and ends the connection once the response is written,
 * with `socket.destroySoon()` (see lingerOnClose).
 */
export function closeAfterResponse(res: ServerResponse): void {
  res.shouldKeepAlive = false;
}

/** A server as node:http keeps it: `httpAllowHalfOpen` decides what a client's FIN does to its requests. */
interface NodeServer extends http.Server {
  httpAllowHalfOpen: boolean;
}

/**
 * `server.httpAllowHalfOpen = true` (undocumented): a client that half-closes once it has sent its
 * request (HTTP/1.0 clients, `curl -T`, the request corpus harness) still gets the response when the
 * app answers after that FIN is read; node then ends the connection once it is written. Without it
 * node destroys every request not yet answered at the FIN and ends the connection, so only an app
 * that answered within the same turn was heard: never a worker-threads app. Gunicorn answers them.
 */
export function answerHalfClosedClients(server: http.Server): void {
  (server as NodeServer).httpAllowHalfOpen = true;
}

type Push = IncomingMessage['push'];

/**
 * node:http's parser hands each decoded body chunk of a request to `IncomingMessage#push`, and stops
 * reading the connection while it answers false. Replacing it on one request sees every body byte
 * before the app can read it, without putting the stream into flowing mode as a 'data' listener would.
 */
export function replaceBodyPush(req: IncomingMessage, replace: (push: Push) => Push): void {
  req.push = replace(req.push.bind(req));
}

/**
 * node:http ends the connection of a response with `Connection: close` by calling
 * `socket.destroySoon()` on it once the response is written; replacing it on one socket changes how
 * that connection ends.
 */
export function replaceDestroySoon(socket: net.Socket, destroySoon: () => void): void {
  socket.destroySoon = destroySoon;
}

/** node's TLS binding of a TLSSocket, of which only the result of the client-certificate check is needed. */
interface TlsHandle {
  verifyError(): (Error & { code?: string }) | null;
}

/**
 * The client-certificate check that tls.Server makes and a TLSSocket built by hand does not:
 * `socket._handle.verifyError()`, null when the certificate is signed by the configured CAs.
 */
export function tlsVerifyError(socket: TLSSocket): (Error & { code?: string }) | null {
  return (socket as unknown as { _handle: TlsHandle | null })._handle?.verifyError() ?? null;
}

/** One internal, and whether the running Node still has the shape the front relies on. */
interface ShapeCheck {
  readonly what: string;
  holds(): boolean;
}

const httpChecks: readonly ShapeCheck[] = [
  {
    what: 'socket._httpMessage (the response a connection is writing)',
    holds() {
      const socket = new net.Socket();
      const res = new http.ServerResponse(new http.IncomingMessage(socket));
      res.assignSocket(socket);
      const assigned = responseOnConnection(socket) === res;
      res.detachSocket(socket);
      return assigned && responseOnConnection(socket) === null;
    },
  },
  {
    what: 'res._headerSent (whether a response has started on the wire)',
    holds: () => typeof (new http.ServerResponse(new http.IncomingMessage(new net.Socket())) as NodeResponse)._headerSent === 'boolean',
  },
  {
    what: 'res.shouldKeepAlive',
    holds: () => typeof new http.ServerResponse(new http.IncomingMessage(new net.Socket())).shouldKeepAlive === 'boolean',
  },
  {
    what: 'IncomingMessage#push (where the parser hands body chunks)',
    holds: () => typeof http.IncomingMessage.prototype.push === 'function',
  },
  {
    what: 'socket.destroySoon (how node:http ends a Connection: close response)',
    holds: () => typeof net.Socket.prototype.destroySoon === 'function',
  },
  {
    what: 'http.Server#httpAllowHalfOpen (answering a client that half-closed)',
    holds: () => typeof (new http.Server() as Partial<NodeServer>).httpAllowHalfOpen === 'boolean',
  },
];

const tlsChecks: readonly ShapeCheck[] = [
  {
    what: "a TLSSocket's _handle.verifyError (the client-certificate check)",
    holds() {
      const socket = new TLSSocket(new net.Socket(), { isServer: true, secureContext: createSecureContext() });
      // Only looked at, never called: on a socket that never connected the binding would crash.
      const shaped = typeof (socket as unknown as { _handle: Partial<TlsHandle> | null })._handle?.verifyError === 'function';
      socket.destroy();
      return shaped;
    },
  },
];

function assertShapes(checks: readonly ShapeCheck[]): void {
  for (const check of checks) {
    if (!check.holds()) {
      throw new WorkerBootError(
        `Node ${process.version} changed an internal the HTTP front relies on: ${check.what}; ` +
          'gu needs updating for this Node release (see src/http/node-http-internals.ts)',
      );
    }
  }
}

/** Fails at worker startup, with one line naming it, if an internal the front relies on changed shape. */
export function assertNodeHttpInternals(options: { readonly tls: boolean }): void {
  assertShapes(httpChecks);
  if (options.tls) assertShapes(tlsChecks);
}
