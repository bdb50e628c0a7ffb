import type { IncomingMessage } from 'node:http';
import type { StopCause, UpgradeHandler } from '@gu/core';
import { WebSocketServer } from 'ws';
import type { BridgeContext } from '../bridge-context.js';
import type { AsgiApp } from '../types.js';
import { stopClose } from './close-codes.js';
import { startHeartbeat } from './heartbeat.js';
import { websocketScope } from './websocket-scope.js';
import { WebSocketSession, type CompleteHandshake } from './websocket-session.js';
import { WriteBatch } from './write-batch.js';

/**
 * The largest message a client may send (ws's maxPayload), as Uvicorn's default `ws_max_size`:
 * room for the 1 MiB messages the bridge is tested with and more, while one client cannot make a
 * worker buffer ws's own default of 100 MiB. A larger message closes the connection with 1009.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * WebSockets for the asgi worker class: core's HTTP front hands over each upgrade request (after
 * its head checks, access log, max_requests count), ws checks the handshake, and the ASGI app
 * decides whether to accept it (asgiref www.rst, "WebSocket"; extension websocket.http.response).
 */
export class WebSocketBridge {
  private readonly server: WebSocketServer;
  /** Handshakes the app is deciding on: ws's hooks see the request only. */
  private readonly pending = new WeakMap<IncomingMessage, WebSocketSession>();
  /** Every connection whose app was called, until its socket closes. */
  private readonly sessions = new Set<WebSocketSession>();
  /** The frames apps send in a turn of the event loop, written at its end. */
  private readonly batch = new WriteBatch();

  constructor(readonly app: AsgiApp, readonly bridge: BridgeContext) {
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      verifyClient: (info: { req: IncomingMessage }, complete: CompleteHandshake) => {
        this.pending.get(info.req)?.start(this.app, complete);
      },
      handleProtocols: (_offered, req) => this.pending.get(req)?.subprotocol ?? false,
    });
    this.server.on('headers', (lines: string[], req: IncomingMessage) => {
      this.pending.get(req)?.addAcceptHeaders(lines);
    });
    startHeartbeat(bridge.settings.websocketPingInterval, () => {
      for (const session of this.sessions) session.checkAlive();
    });
  }

  readonly upgrade: UpgradeHandler = (req, socket, head) => {
    const session = new WebSocketSession(req, socket, websocketScope(req, this.bridge), this.bridge.log, this.batch);
    this.pending.set(req, session);
    this.sessions.add(session);
    socket.once('close', () => {
      this.sessions.delete(session);
    });
    // ws answers a malformed handshake (400, 405) itself; a valid one reaches verifyClient.
    this.server.handleUpgrade(req, socket, head, (ws) => {
      this.pending.delete(req);
      session.opened(ws);
    });
  };

  /**
   * A graceful stop began: each open socket is closed with 1001 (shutdown) or 1012 (reload,
   * recycle) once what the app already sent has gone out; core then waits for the connections to
   * close, up to graceful_timeout.
   */
  drain(cause: StopCause): void {
    const { code, reason } = stopClose(cause);
    for (const session of this.sessions) session.stop(code, reason);
  }
}
