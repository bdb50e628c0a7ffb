import type { Server } from 'node:http';
import type { HeadLimits } from './head-limits.js';

/**
 * node:http's own head limits, set so that gu's settings decide. Measured on Node 24.21 (pinned in
 * test/http/node-header-limits.test.ts): `maxHeaderSize` (default 16 KiB) bounds the whole head,
 * request line included, and more fields than `maxHeadersCount` (default 2000) are answered 431 by
 * node itself. Both are raised to just above what gu's limits admit, so a request one over a limit
 * reaches gu's check; anything further over is refused by node with the same 431 and no app call.
 */
export interface NodeHeaderLimits {
  readonly maxHeaderSize: number;
  readonly maxHeadersCount: number;
}

/** A request line limit of 0 is unlimited: node's head budget then stops only what no server should hold. */
const UNLIMITED_HEAD_BYTES = 2 ** 31 - 1;
/** The CRLFs and the blank line that end a head, which gu's counts leave out. */
const FRAMING_BYTES = 4;

export function nodeHeaderLimits(limits: HeadLimits): NodeHeaderLimits {
  const maxHeadersCount = limits.fields + 1;
  if (limits.line === 0) return { maxHeaderSize: UNLIMITED_HEAD_BYTES, maxHeadersCount };
  const head = limits.line + FRAMING_BYTES + maxHeadersCount * limits.fieldSize;
  return { maxHeaderSize: Math.min(head, UNLIMITED_HEAD_BYTES), maxHeadersCount };
}

/** Applies the count to a server created with `maxHeaderSize` (node reads that one only at creation). */
export function applyHeaderCount(server: Server, limits: NodeHeaderLimits): void {
  server.maxHeadersCount = limits.maxHeadersCount;
}
