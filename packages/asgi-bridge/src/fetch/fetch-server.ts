import { isIP } from 'node:net';
import type { FetchServer, FetchSocketAddress, FetchUpgradeOptions, Header, HttpScope, WebSocketScope } from '../types.js';
import { FetchAppError } from './fetch-app-error.js';
import { headerPairs } from './latin1.js';

/** What the app asked for in `server.upgrade(request, options)`: the websocket.accept to send. */
export interface AcceptedUpgrade {
  readonly data: unknown;
  readonly subprotocol: string | null;
  readonly headers: Header[];
}

interface Exchange {
  readonly scope: HttpScope | WebSocketScope;
  upgrade: AcceptedUpgrade | null;
  /** fetch has returned: an upgrade now would come too late. */
  answered: boolean;
}

const familyOf: Readonly<Record<number, FetchSocketAddress['family']>> = { 4: 'IPv4', 6: 'IPv6' };

/** The subprotocol: the one the app's Sec-WebSocket-Protocol names, else the client's first (as ws and Bun choose). */
function pickSubprotocol(scope: WebSocketScope, chosen: string | null): string | null {
  if (chosen === null) return scope.subprotocols[0] ?? null;
  if (!scope.subprotocols.includes(chosen)) {
    const offered = scope.subprotocols.length === 0 ? 'none' : scope.subprotocols.join(', ');
    throw new FetchAppError(`server.upgrade(): Sec-WebSocket-Protocol "${chosen}" is not one the client offered (offered: ${offered})`);
  }
  return chosen;
}

/**
 * The `server` a fetch-style app gets as fetch's second argument, the part of Bun's Server that
 * means something here: `upgrade(request, { data, headers })` and `requestIP(request)`. One per
 * app; each Request the bridge made is registered with its scope until it is answered.
 */
export class BridgeServer implements FetchServer {
  readonly #exchanges = new WeakMap<Request, Exchange>();
  readonly #canUpgrade: boolean;

  constructor(canUpgrade: boolean) {
    this.#canUpgrade = canUpgrade;
  }

  register(request: Request, scope: HttpScope | WebSocketScope): void {
    this.#exchanges.set(request, { scope, upgrade: null, answered: false });
  }

  /** fetch has answered `request`: the upgrade the app accepted meanwhile, if it did. */
  answered(request: Request): AcceptedUpgrade | null {
    const exchange = this.#exchanges.get(request);
    if (exchange === undefined) return null;
    exchange.answered = true;
    return exchange.upgrade;
  }

  upgrade(request: Request, options: FetchUpgradeOptions = {}): boolean {
    const exchange = this.#exchanges.get(request);
    if (exchange?.scope.type !== 'websocket' || exchange.upgrade !== null || exchange.answered) return false;
    if (!this.#canUpgrade) {
      throw new FetchAppError('server.upgrade() was called, but the app has no websocket handler: export { fetch, websocket: { open, message, close } }');
    }
    const headers = new Headers(options.headers);
    const subprotocol = pickSubprotocol(exchange.scope, headers.get('sec-websocket-protocol'));
    headers.delete('sec-websocket-protocol');
    exchange.upgrade = { data: options.data, subprotocol, headers: headerPairs(headers) };
    return true;
  }

  requestIP(request: Request): FetchSocketAddress | null {
    const client = this.#exchanges.get(request)?.scope.client;
    if (!client) return null;
    const [address, port] = client;
    return { address, port, family: familyOf[isIP(address)] ?? '' };
  }
}
