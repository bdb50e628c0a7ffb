import type http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AccessEntry } from '../logging/access-entry.js';
import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import { recordRequest } from './access-recorder.js';
import type { ClientDeadlines } from './client-deadlines.js';
import { isInvalidHead } from './head-guard.js';
import { headGate } from './request-gate.js';
import { rejectUpgrade, watchStatusLine } from './upgrade-answer.js';

/**
 * What a worker class does with an upgrade request (`Upgrade:` header, e.g. a WebSocket handshake):
 * `socket` is the raw connection, detached from node:http, and `head` the bytes that came after the
 * request head. The handler answers on the socket itself (`101 Switching Protocols`, or a refusal).
 */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface UpgradePathDeps {
  readonly settings: Readonly<Settings>;
  readonly log: Logger;
  readonly accessLog: { log(entry: AccessEntry): void } | null;
  readonly countRequest: () => void;
  readonly deadlines: ClientDeadlines | null;
  /** True once a graceful stop began: new upgrades would hold it, so they are refused with 503. */
  readonly draining: () => boolean;
}

/**
 * Whether a request's `Upgrade:` offers one of `protocols` (lower-case names): the field is a
 * comma-separated list of `name` or `name/version` (RFC 9110 7.8), names compared case-insensitively.
 */
export function offersOneOf(protocols: readonly string[]): (req: IncomingMessage) => boolean {
  const wanted = new Set(protocols.map((name) => name.toLowerCase()));
  return (req) => {
    const offer = req.headers.upgrade;
    if (offer === undefined) return false;
    for (const item of offer.split(',')) {
      const name = item.split('/', 1)[0]?.trim().toLowerCase() ?? '';
      if (wanted.has(name)) return true;
    }
    return false;
  };
}

/** Status of an upgrade asked for while the worker drains. */
const DRAINING_STATUS = 503;

/**
 * Hands upgrade requests to `handler` after the checks every request gets, in the same order: the
 * head checks (request-checks.ts, 400), then the head limits and proxy-header trust (request-gate.ts).
 * Each upgrade request counts for max_requests and is access-logged with the status the connection
 * was answered with (101 once upgraded). The connection leaves the slow-client deadlines, and stays
 * tracked (connection-tracker.ts) until it closes, so a graceful stop waits for it.
 */
export function serveUpgrades(server: http.Server, handler: UpgradeHandler, deps: UpgradePathDeps): void {
  const gateHead = headGate(deps.settings);
  const { accessLog, countRequest, deadlines, log } = deps;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    deadlines?.release(req.socket);
    if (accessLog) {
      const entry = recordRequest(req);
      watchStatusLine(socket, (status) => {
        accessLog.log(entry(status, 0, {}));
      });
    }
    const status = refusal(req, gateHead, deps.draining(), log);
    if (status !== 0) rejectUpgrade(socket, status);
    else handOver(handler, req, socket, head, log);
    // Counted once handed over: the max_requests-th is then served, and a stop it starts finds it
    // among the class's connections (onDrain), as the last ordinary request is served.
    countRequest();
  });
}

function handOver(handler: UpgradeHandler, req: IncomingMessage, socket: Duplex, head: Buffer, log: Logger): void {
  try {
    handler(req, socket, head);
  } catch (error) {
    log.exception('Error handling upgrade request', error);
    if (socket.writable) rejectUpgrade(socket, 500);
    else socket.destroy();
  }
}

/** The status to refuse `req` with, or 0 to hand it over. */
function refusal(req: IncomingMessage, gateHead: (req: IncomingMessage) => number, draining: boolean, log: Logger): number {
  if (isInvalidHead(req, log)) return 400;
  const gated = gateHead(req);
  if (gated !== 0) return gated;
  return draining ? DRAINING_STATUS : 0;
}
