import type { BridgedWebSocket, FetchWebSocketHandler, Receive, Send, SendEvent, WebSocketScope } from '../types.js';
import type { AcceptedUpgrade } from './fetch-server.js';
import { closeEvent, receivedBytes, sendEvent } from './websocket-frames.js';
import { webSocketUrl } from './request-url.js';

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * An accepted WebSocket of a fetch-style app: the BridgedWebSocket its handler gets, and the loop
 * that turns websocket.receive into message() and websocket.disconnect into close(). Handlers are
 * awaited, and the sends they queued are flushed before the next message is received, so a
 * client cannot outrun the app. send() and close() are synchronous, as Bun's: their websocket.send
 * and websocket.close go out in order; after the socket closed they are dropped, as Bun drops them.
 */
export class WebSocketSession implements BridgedWebSocket {
  readonly url: string;
  readonly protocol: string;
  readonly data: unknown;
  readonly remoteAddress: string;
  #state: 1 | 2 | 3 = OPEN;
  #outgoing: Promise<void> = Promise.resolve();
  readonly #send: Send;
  readonly #handler: FetchWebSocketHandler;

  constructor(handler: FetchWebSocketHandler, scope: WebSocketScope, upgrade: AcceptedUpgrade, send: Send) {
    this.url = webSocketUrl(scope);
    this.protocol = upgrade.subprotocol ?? '';
    this.data = upgrade.data;
    this.remoteAddress = scope.client?.[0] ?? '';
    this.#handler = handler;
    this.#send = send;
  }

  get readyState(): 1 | 2 | 3 {
    return this.#state;
  }

  send(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    const event = sendEvent(data);
    if (this.#state === OPEN) this.#queue(event);
  }

  close(code?: number, reason?: string): void {
    const event = closeEvent(code, reason);
    if (this.#state !== OPEN) return;
    this.#state = CLOSING;
    this.#queue(event);
  }

  /** Runs the handler until the client (or the server) closes the connection. */
  async run(receive: Receive): Promise<void> {
    await this.#handler.open?.(this);
    await this.#outgoing;
    for (;;) {
      const event = await receive();
      if (event.type === 'websocket.receive') {
        await this.#handler.message?.(this, event.text ?? receivedBytes(event.bytes ?? new Uint8Array(0)));
        await this.#outgoing;
      } else if (event.type === 'websocket.disconnect') {
        this.#state = CLOSED;
        await this.#handler.close?.(this, event.code, event.reason ?? '');
        return;
      }
    }
  }

  #queue(event: SendEvent): void {
    this.#outgoing = this.#outgoing
      .then(() => this.#send(event))
      .catch(() => {
        // send() raises once the connection is gone; websocket.disconnect follows and ends run().
        this.#state = CLOSED;
      });
  }
}
