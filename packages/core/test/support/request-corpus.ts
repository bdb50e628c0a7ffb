// Runs Gunicorn's request corpus (test/fixtures/corpus) against a server over raw TCP: the bytes of
// a case go out whole or in small seeded pieces, the client then half-closes, and what came back and
// what the app (fixtures/corpus/echo-app.mjs) saw are collected for the test to judge.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CHUNKED_HOLD_MS } from '../../src/http/chunked-hold.js';

export const corpusDir = join(import.meta.dirname, '../fixtures/corpus');

export interface CorpusRequest {
  method: string;
  uri: string;
  version: string;
  headers: [string, string][];
  body_b64: string;
  trailers: [string, string][];
}

export interface CorpusCase {
  name: string;
  raw_b64: string;
  config: Record<string, unknown>;
  valid: boolean;
  requests?: CorpusRequest[];
  error?: string;
}

/** What echo-app.mjs recorded for one request. */
export interface AppRecord {
  method: string;
  url: string;
  httpVersion: string;
  rawHeaders: string[];
  body: string;
  trailers: string[];
  complete: boolean;
  error: string | null;
}

/** What one run of a case produced. */
export interface Observed {
  /** Status of each response, in order. */
  statuses: number[];
  /** Bytes that did not parse as a response (none from a well-behaved server). */
  garbage: string;
  /** The server did not close the connection within the bound. */
  timedOut: boolean;
  /** Each request the app saw, in order. */
  seen: AppRecord[];
  /** Milliseconds from connecting to the last byte written: a busy machine can stretch a split case past the front's chunked hold. */
  writingMs: number;
}

export function loadCorpus(): CorpusCase[] {
  return (JSON.parse(readFileSync(join(corpusDir, 'gunicorn-requests.json'), 'utf8')) as { cases: CorpusCase[] }).cases;
}

/** mulberry32: a small seeded generator, so a failing split can be replayed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable seed per case name. */
export function seedOf(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** `raw` cut into pieces of 1 to 7 bytes. */
export function splitPieces(raw: Buffer, seed: number): Buffer[] {
  const next = random(seed);
  const pieces: Buffer[] = [];
  for (let at = 0; at < raw.length; ) {
    const size = 1 + Math.floor(next() * 7);
    pieces.push(raw.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** Statuses of the responses in `data`, each framed by Content-Length (or ending the stream). */
export function parseResponses(data: Buffer): { statuses: number[]; garbage: string } {
  const statuses: number[] = [];
  let at = 0;
  while (at < data.length) {
    const headEnd = data.indexOf('\r\n\r\n', at);
    const head = data.subarray(at, headEnd < 0 ? data.length : headEnd).toString('latin1');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
    if (headEnd < 0 || !status) return { statuses, garbage: data.subarray(at).toString('latin1') };
    statuses.push(Number(status[1]));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    at = length ? headEnd + 4 + Number(length[1]) : data.length;
  }
  return { statuses, garbage: '' };
}

/**
 * Sends `pieces` one write at a time (each awaited, then a turn of the event loop, so they tend to
 * reach the server as separate reads), half-closes, and collects what comes back until the server
 * closes, at most `timeoutMs`.
 */
export function exchange(port: number, pieces: Buffer[], timeoutMs = 3000): Promise<{ data: Buffer; timedOut: boolean; writingMs: number }> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    const received: Buffer[] = [];
    let timedOut = false;
    let writingMs = 0;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    // A reset after a rejection is a closed connection, which the caller judges from what arrived.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(received), timedOut, writingMs });
    });
    socket.once('connect', () => {
      void writeAll(socket, pieces).then(() => {
        writingMs = performance.now() - startedAt;
        if (!socket.destroyed) socket.end();
      });
    });
  });
}

async function writeAll(socket: net.Socket, pieces: Buffer[]): Promise<void> {
  const single = pieces.length === 1;
  for (const piece of pieces) {
    if (socket.destroyed || !socket.writable) return;
    await new Promise<void>((resolve) => socket.write(piece, () => { resolve(); }));
    if (!single) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** One call to the app's control endpoint: the records it gave, and how many it held back as still open. */
async function fetchRecords(port: number, all: boolean): Promise<{ records: AppRecord[]; pending: number }> {
  const request = `GET /__corpus__/seen${all ? '?all' : ''} HTTP/1.1\r\nHost: corpus\r\nConnection: close\r\n\r\n`;
  const { data, timedOut } = await exchange(port, [Buffer.from(request)]);
  const text = data.toString('utf8');
  const bodyAt = text.indexOf('\r\n\r\n');
  if (timedOut || !text.startsWith('HTTP/1.1 200') || bodyAt < 0) throw new Error(`corpus app: no record list (${text.slice(0, 200)})`);
  const pending = Number(/\r\nx-corpus-pending: *(\d+)/i.exec(text.slice(0, bodyAt))?.[1] ?? 0);
  return { records: JSON.parse(text.slice(bodyAt + 4)) as AppRecord[], pending };
}

/** How long a request the app saw may stay open after its client is gone, before it is reported as it stands. */
const SETTLE_MS = 2000;

/**
 * Every request the app saw since the last call (the app's control endpoint), once each has ended
 * or been cut (or SETTLE_MS has passed): a client's close may reach the app after the client is done.
 */
export async function fetchSeen(port: number): Promise<AppRecord[]> {
  const seen: AppRecord[] = [];
  const deadline = performance.now() + SETTLE_MS;
  for (;;) {
    const late = performance.now() > deadline;
    const { records, pending } = await fetchRecords(port, late);
    seen.push(...records);
    if (pending === 0 || late) return seen;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A server running the echo app: `port` takes the cases, `controlPort` answers what the app saw (the
 * app's side channel, see echo-app.mjs; the same port when the server's limits admit the harness).
 */
export interface CorpusTarget {
  readonly port: number;
  readonly controlPort: number;
}

/** Runs one case on `target`, whole or split into seeded small pieces. */
export async function runCase(target: CorpusTarget, corpusCase: CorpusCase, split: boolean): Promise<Observed> {
  const raw = Buffer.from(corpusCase.raw_b64, 'base64');
  const pieces = split ? splitPieces(raw, seedOf(corpusCase.name)) : [raw];
  const { data, timedOut, writingMs } = await exchange(target.port, pieces);
  return { ...parseResponses(data), timedOut, writingMs, seen: await fetchSeen(target.controlPort) };
}

/** `[NAME, value]` pairs from node's flat raw list, names upper-cased as Gunicorn reports them. */
export function pairs(raw: readonly string[]): [string, string][] {
  const result: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) result.push([(raw[i] as string).toUpperCase(), raw[i + 1] as string]);
  return result;
}

/** A record in the corpus's form, to compare with an expected request. */
export function asCorpusRequest(record: AppRecord): CorpusRequest {
  return {
    method: record.method,
    uri: record.url,
    version: record.httpVersion,
    headers: pairs(record.rawHeaders),
    body_b64: record.body,
    trailers: pairs(record.trailers),
  };
}

/** The requests reached the app whole and exactly as expected, and each got a 200. */
export function isIdentical(observed: Observed, expected: readonly CorpusRequest[]): boolean {
  if (observed.seen.length !== expected.length || observed.statuses.some((status) => status !== 200)) return false;
  return observed.seen.every((record, i) => record.complete && isDeepStrictEqual(asCorpusRequest(record), expected[i]));
}

/** Nothing reached the app, and the client got only 4xx answers or a closed connection. */
export function isRejected(observed: Observed): boolean {
  return observed.seen.length === 0 && observed.garbage === '' && !observed.timedOut && observed.statuses.every((status) => status >= 400 && status < 500);
}

/**
 * A chunked case the machine stretched past the front's chunked hold (CHUNKED_HOLD_MS: the client
 * was still writing when it ended), handed over as docs/http-conformance.md says and never completed:
 * the app saw at most the one request, cut with an error, and the client got a 4xx or, the app
 * having been handed the request, a cut connection.
 */
export function isCutAfterHold(corpusCase: CorpusCase, observed: Observed): boolean {
  const chunked = /\r\ntransfer-encoding:/i.test(Buffer.from(corpusCase.raw_b64, 'base64').toString('latin1'));
  if (!chunked || observed.writingMs < CHUNKED_HOLD_MS || observed.timedOut || observed.garbage !== '') return false;
  const [record, ...more] = observed.seen;
  return more.length === 0 && (record === undefined || (!record.complete && record.error !== null))
    && observed.statuses.every((status) => status >= 400 && status < 500);
}

const HOST_HEADER = 'Host: corpus\r\n';

/**
 * The case with `Host: corpus` added to each of its HTTP/1.1 requests (after the request line), and
 * to the requests the app must see: for cases gu rejects only for their missing Host, this checks
 * that everything else about them is still served as Gunicorn serves it.
 */
export function withHost(corpusCase: CorpusCase): CorpusCase {
  const raw = Buffer.from(corpusCase.raw_b64, 'base64').toString('latin1');
  const added = raw.replace(/^[!-~]+ [^ \r\n]+ HTTP\/1\.1\r\n/gm, (line) => line + HOST_HEADER);
  return {
    ...corpusCase,
    name: `${corpusCase.name}+host`,
    raw_b64: Buffer.from(added, 'latin1').toString('base64'),
    requests: corpusCase.requests?.map((request) =>
      request.version === '1.1' ? { ...request, headers: [['HOST', 'corpus'], ...request.headers] } : request,
    ),
  };
}
