// Malformed input never costs more than one connection: a few thousand random and mutated requests
// (seeded, built from Gunicorn's request corpus) go to one worker over raw sockets, each bounded in
// time; afterwards the same worker is still there, answers a normal request, and logged no failure.
// The seed is in the test's name: a failure replays with the same requests.
import { afterAll, expect, it } from 'vitest';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';
import { corpusDir, fetchSeen, loadCorpus, random, withHost, type CorpusCase } from '../support/request-corpus.js';
import { isRunning } from './processes.js';

const app = join(corpusDir, 'echo-app.mjs');
const worker = join(import.meta.dirname, '../fixtures/e2e/minimal-worker.mjs');

// GU_FUZZ_SEED=0x… replays another seed.
const SEED = Number(process.env.GU_FUZZ_SEED ?? 0x6775_f022) >>> 0;
const REQUESTS = 3000;
const CONCURRENCY = 16;
const SOCKET_TIMEOUT_MS = 2000;
/** No new request starts after this; those in flight end within SOCKET_TIMEOUT_MS. */
const BUDGET_MS = 20_000;

afterAll(cleanUp);

const SPECIAL = [0x0d, 0x0a, 0x00, 0x20, 0x3a, 0x09, 0x7f, 0x80, 0xff, 0xc3, 0x22, 0x3b];

/** The requests: cases of the corpus mutated one to three times (splices of two among them), and some noise. */
function generate(seed: number, count: number): Buffer[][] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const int = (max: number): number => Math.floor(next() * max);
  // Each case as is, and with `Host` added to its HTTP/1.1 requests: most of the corpus has none, and
  // gu would stop most mutations at that before anything else.
  const cases = loadCorpus();
  const bytesOf = (corpusCase: CorpusCase): Buffer[] => [corpusCase, withHost(corpusCase)].map((variant) => Buffer.from(variant.raw_b64, 'base64'));
  const raws = cases.flatMap(bytesOf);
  // Mutating a valid request more often gets past the parser, to gu's own checks and the app.
  const valid = cases.filter((corpusCase) => corpusCase.valid).flatMap(bytesOf);

  const mutations: ((raw: Buffer) => Buffer)[] = [
    // Flip one to four bits somewhere.
    (raw) => {
      const copy = Buffer.from(raw);
      for (let n = 1 + int(4); n > 0 && copy.length > 0; n--) copy[int(copy.length)]! ^= 1 << int(8);
      return copy;
    },
    // Insert a CR, LF, NUL, space, colon, high byte… (one to three of them).
    (raw) => {
      const at = int(raw.length + 1);
      const inserted = Buffer.from(Array.from({ length: 1 + int(3) }, () => pick(SPECIAL)));
      return Buffer.concat([raw.subarray(0, at), inserted, raw.subarray(at)]);
    },
    // Overwrite a byte with a special one.
    (raw) => {
      const copy = Buffer.from(raw);
      if (copy.length > 0) copy[int(copy.length)] = pick(SPECIAL);
      return copy;
    },
    // Truncate.
    (raw) => raw.subarray(0, int(raw.length + 1)),
    // Delete a run of bytes.
    (raw) => {
      const at = int(raw.length + 1);
      return Buffer.concat([raw.subarray(0, at), raw.subarray(at + 1 + int(8))]);
    },
    // Duplicate a line (a header line, most often).
    (raw) => {
      const lines = raw.toString('latin1').split('\r\n');
      const at = int(lines.length);
      lines.splice(at, 0, lines[at] ?? '');
      return Buffer.from(lines.join('\r\n'), 'latin1');
    },
    // Splice the head of this one with the tail of another case.
    (raw) => {
      const other = pick(raws);
      return Buffer.concat([raw.subarray(0, int(raw.length + 1)), other.subarray(int(other.length + 1))]);
    },
    // A random chunk-size line, after the head.
    (raw) => {
      const headEnd = raw.indexOf('\r\n\r\n');
      const at = headEnd < 0 ? raw.length : headEnd + 4;
      const sizes = ['0', 'ffffffffffffffff', '-1', '1;a=b', ' 5', '5 ', '0x5', '10000000000000000', 'g', '', '1\n', '\r', String(int(1 << 30))];
      return Buffer.concat([raw.subarray(0, at), Buffer.from(`${pick(sizes)}\r\nhello\r\n`, 'latin1'), raw.subarray(at)]);
    },
    // A header line of random bytes.
    (raw) => {
      const lineEnd = raw.indexOf('\r\n');
      const at = lineEnd < 0 ? raw.length : lineEnd + 2;
      const junk = Buffer.from(Array.from({ length: 1 + int(40) }, () => (next() < 0.5 ? pick(SPECIAL) : int(256))));
      return Buffer.concat([raw.subarray(0, at), junk, Buffer.from('\r\n'), raw.subarray(at)]);
    },
  ];

  const requests: Buffer[][] = [];
  for (let i = 0; i < count; i++) {
    let raw = pick(next() < 0.6 ? valid : raws);
    if (next() < 0.05) {
      // Pure noise now and then.
      raw = Buffer.from(Array.from({ length: int(300) }, () => int(256)));
    } else {
      // Mostly one mutation (more of them rarely get past the parser), now and then two or three.
      for (let n = next() < 0.7 ? 1 : 2 + int(2); n > 0; n--) raw = pick(mutations)(raw);
    }
    // A quarter go out in two to four pieces, so the parser also meets them cut at random places.
    const cuts = next() < 0.25 ? [...new Set(Array.from({ length: 1 + int(3) }, () => int(raw.length + 1)))].sort((a, b) => a - b) : [];
    const bounds = [0, ...cuts, raw.length];
    const pieces = bounds.slice(1).map((end, j) => raw.subarray(bounds[j], end));
    requests.push(pieces.filter((piece) => piece.length > 0));
  }
  return requests;
}

/**
 * Writes `pieces` (a turn of the event loop apart), half-closes, reads until the server closes or
 * `SOCKET_TIMEOUT_MS`, then destroys. Resolves with the first status line's code, 'none' (closed
 * without an answer) or 'timeout'.
 */
function send(port: number, pieces: Buffer[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    let timedOut = false;
    let head = '';
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, SOCKET_TIMEOUT_MS);
    // A reset after a rejection is one of the expected ends.
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      if (head.length < 16) head += chunk.toString('latin1', 0, 16);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(timedOut ? 'timeout' : (/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 'none'));
    });
    socket.once('connect', () => {
      void (async () => {
        for (const piece of pieces) {
          if (socket.destroyed || !socket.writable) return;
          await new Promise<void>((written) => socket.write(piece, () => { written(); }));
          await new Promise<void>((turn) => setImmediate(turn));
        }
        if (!socket.destroyed) socket.end();
      })();
    });
  });
}

it(`survives ${REQUESTS} malformed requests on one worker (seed 0x${SEED.toString(16)})`, async () => {
  const gu = await startGu([app, '-k', worker, '-b', '127.0.0.1:0', '-w', '1']);
  const port = Number(new URL(gu.url).port);
  const [pid] = gu.workerPids;
  expect(pid).toBeDefined();

  const requests = generate(SEED, REQUESTS);
  const started = Date.now();
  let sent = 0;
  const outcomes: Record<string, number> = {};
  let nextIndex = 0;
  const lane = async (): Promise<void> => {
    while (nextIndex < requests.length && Date.now() - started < BUDGET_MS) {
      const pieces = requests[nextIndex++] as Buffer[];
      sent++;
      const outcome = await send(port, pieces);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const durationMs = Date.now() - started;
  console.log(`malformed input: ${sent} requests in ${durationMs} ms (seed 0x${SEED.toString(16)}), first answers: ${JSON.stringify(outcomes)}`);

  // The worker is the one that started, and it answers.
  expect(isRunning(pid as number)).toBe(true);
  expect(gu.matches(/Booting worker with pid/g)).toHaveLength(1);
  expect(gu.workerPids).toEqual([pid]);
  const answer = await httpGet(gu.url);
  expect(answer.status).toBe(200);
  expect(answer.headers['x-worker-class']).toBe('minimal');
  const reached = (await fetchSeen(port)).length;
  console.log(`malformed input: ${reached} requests reached the app`);
  expect(gu.workerPids).toEqual([pid]);

  // Nothing failed inside gu, though some mutated requests reached the app.
  expect(gu.stderr).not.toMatch(/Error handling request|Uncaught exception|Unhandled promise rejection/);
  expect(gu.stdout).not.toMatch(/Error handling request|Uncaught exception|Unhandled promise rejection/);
  expect(sent).toBe(REQUESTS);
}, 30_000);
