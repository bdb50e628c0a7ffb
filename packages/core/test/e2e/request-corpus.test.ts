// Gunicorn's request corpus against one real gu server: each case's bytes are sent whole and split
// into seeded 1–7 byte pieces; an invalid case must never reach the app, a valid one must reach it
// exactly (method, target, version, headers in order with repeats, body, trailers; pipelined requests
// in order). Exceptions are in request-corpus.expectations.ts, each with its reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { cleanUp } from '@gu/testkit';
import { asgiEchoApp, asgiWorker, startBareNode, startCorpusGu, syncWorker, threadsWorker } from '../support/corpus-servers.js';
import {
  asCorpusRequest,
  fetchSeen,
  isIdentical,
  isRejected,
  isCutAfterHold,
  loadCorpus,
  runCase,
  withHost,
  type CorpusCase,
  type CorpusTarget,
  type Observed,
} from '../support/request-corpus.js';
import { asgiExpectationFor, expectationFor, flagsFor, hostRequiredCases, skipReason, syncExpectationFor, withHostDifferences, type Exception, type Outcome } from './request-corpus.expectations.js';

const cases = loadCorpus();

type TargetFor = (corpusCase: CorpusCase) => Promise<CorpusTarget>;

/** One gu server per distinct set of flags, started on first use, with `workerClass` (a path) and `echoApp` if given. */
function serversOf(workerClass?: string, echoApp?: string): TargetFor {
  const servers = new Map<string, Promise<CorpusTarget>>();
  return (corpusCase) => {
    const flags = flagsFor(corpusCase);
    const key = flags.join(' ');
    let server = servers.get(key);
    if (!server) {
      server = startCorpusGu(flags, workerClass, echoApp);
      servers.set(key, server);
    }
    return server;
  };
}
const targetFor = serversOf();
const defaults: CorpusCase = { name: 'defaults', raw_b64: '', config: {}, valid: true };

afterAll(async () => {
  await cleanUp();
});

/** Asserts `observed` is `outcome`, with the case's name in every message. */
function expectOutcome(corpusCase: CorpusCase, observed: Observed, outcome: Outcome): void {
  const what = `${corpusCase.name}: ${JSON.stringify({ statuses: observed.statuses, garbage: observed.garbage, timedOut: observed.timedOut, seen: observed.seen.map(asCorpusRequest) })}`;
  expect(observed.timedOut, what).toBe(false);
  expect(observed.garbage, what).toBe('');
  const expected = corpusCase.requests ?? [];
  switch (outcome.kind) {
    case 'identical':
      expect(observed.seen.map(asCorpusRequest), what).toEqual(outcome.requests ?? expected);
      expect(observed.seen.every((record) => record.complete), what).toBe(true);
      expect(observed.statuses, what).toEqual(observed.seen.map(() => 200));
      break;
    case 'rejected':
      // Every case here has a parseable request line: it gets an answer, not only a closed connection.
      expect((isRejected(observed) && observed.statuses.length > 0) || isCutAfterHold(corpusCase, observed), what).toBe(true);
      break;
    case 'closed':
      expect((isRejected(observed) && observed.statuses.length === 0) || isCutAfterHold(corpusCase, observed), what).toBe(true);
      break;
    case 'prefix':
      expect(observed.seen.map(asCorpusRequest), what).toEqual(expected.slice(0, outcome.accepted));
      expect(observed.statuses.slice(0, outcome.accepted), what).toEqual(expected.slice(0, outcome.accepted).map(() => 200));
      expect(observed.statuses.slice(outcome.accepted).every((status) => status >= 400 && status < 500), what).toBe(true);
      break;
    case 'head-then-cut': {
      const [record, ...more] = observed.seen;
      expect(more, what).toEqual([]);
      expect(record?.complete, what).toBe(false);
      expect(record?.error, what).not.toBeNull();
      expect(observed.statuses.every((status) => status >= 400 && status < 500), what).toBe(true);
      // A valid case cut short: the app got its head as sent, and no more body than was sent.
      if (corpusCase.valid && record && expected[0]) {
        const got = asCorpusRequest(record);
        const want = expected[0];
        expect([got.method, got.uri, got.version, got.headers], what).toEqual([want.method, want.uri, want.version, want.headers]);
        const body = Buffer.from(got.body_b64, 'base64');
        expect(body.equals(Buffer.from(want.body_b64, 'base64').subarray(0, body.length)), what).toBe(true);
      }
      break;
    }
    case 'accepted':
      expect(observed.seen.length, what).toBeGreaterThan(0);
      expect(observed.seen.every((record) => record.complete), what).toBe(true);
      break;
  }
}

/** One test per corpus case against `target`'s servers, each expecting what `expectation` says. */
function caseTests(target: TargetFor, expectation: (corpusCase: CorpusCase) => Exception): void {
  for (const corpusCase of cases) {
    const skip = skipReason(corpusCase);
    if (skip !== undefined) {
      it.skip(`${corpusCase.name} — ${skip}`, () => undefined);
      continue;
    }
    const { reason, outcome } = expectation(corpusCase);
    const label = reason === 'as Gunicorn' ? `${outcome.kind}, as Gunicorn` : `${outcome.kind}: ${reason}`;
    it(`${corpusCase.name} (${label})`, async () => {
      const server = await target(corpusCase);
      expectOutcome(corpusCase, await runCase(server, corpusCase, false), outcome);
      expectOutcome(corpusCase, await runCase(server, corpusCase, true), outcome);
    });
  }
}

/** The cases gu rejects only for their missing Host, sent with one; `adjust` turns the default worker's expectation into this run's. */
function hostAddedTests(target: TargetFor, adjust: (corpusCase: CorpusCase, expected: Exception) => Exception): void {
  for (const name of hostRequiredCases) {
    const corpusCase = withHost(cases.find((candidate) => candidate.name === name) as CorpusCase);
    const { reason, outcome } = adjust(corpusCase, withHostDifferences[name] ?? { reason: 'as Gunicorn', outcome: { kind: 'identical' } });
    it(`${corpusCase.name} (${reason === 'as Gunicorn' ? `${outcome.kind}, as Gunicorn` : `${outcome.kind}: ${reason}`})`, async () => {
      const server = await target(corpusCase);
      expectOutcome(corpusCase, await runCase(server, corpusCase, false), outcome);
      expectOutcome(corpusCase, await runCase(server, corpusCase, true), outcome);
    });
  }
}

// The same tables under the sync worker, whose every response closes its connection.
describe('request corpus under -k sync', () => {
  const syncTarget = serversOf(syncWorker);
  caseTests(syncTarget, (corpusCase) => syncExpectationFor(corpusCase));
  describe('with `Host: corpus` added', () => {
    hostAddedTests(syncTarget, syncExpectationFor);
  });
});

// The same tables under the threads worker: the app runs in a pool thread, behind the same front.
describe('request corpus under -k threads', () => {
  const threadsTarget = serversOf(threadsWorker);
  caseTests(threadsTarget, expectationFor);
  describe('with `Host: corpus` added', () => {
    hostAddedTests(threadsTarget, (_corpusCase, expected) => expected);
  });
});

// The same tables under the asgi worker, with the corpus's app written to ASGI: what an ASGI app
// is shown of a request differs where asgiExpectationFor says.
describe('request corpus under -k asgi', () => {
  const asgiTarget = serversOf(asgiWorker, asgiEchoApp);
  caseTests(asgiTarget, (corpusCase) => asgiExpectationFor(corpusCase));
  describe('with `Host: corpus` added', () => {
    hostAddedTests(asgiTarget, asgiExpectationFor);
  });
});

describe('request corpus', () => {
  caseTests(targetFor, expectationFor);

  it('answers a head it rejects with 400 and Connection: close, and closes the connection itself', async () => {
    const { port, controlPort } = await targetFor(defaults);
    // No half-close here: the server must end the connection on its own.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      let data = '';
      const timer = setTimeout(() => { socket.destroy(new Error(`connection still open: ${data}`)); }, 3000);
      socket.setEncoding('latin1').on('data', (chunk: string) => (data += chunk));
      socket.on('error', reject);
      socket.on('end', () => { clearTimeout(timer); socket.destroy(); resolve(data); });
      socket.write('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n');
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(await fetchSeen(controlPort)).toEqual([]);
  });

  // A client's own `Connection: close` already ends llhttp's parsing (see the 400 test above); a
  // close the server decides (--keep-alive 0, the sync worker, a draining worker) does not.
  it('never runs a request pipelined behind a response it closes the connection after (RFC 9112 9.6)', async () => {
    const { port, controlPort } = await startCorpusGu(['--keep-alive', '0']);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      let data = '';
      socket.setEncoding('latin1').on('data', (chunk: string) => (data += chunk));
      socket.on('error', reject);
      socket.on('close', () => { resolve(data); });
      socket.write('GET /first HTTP/1.1\r\nHost: a\r\n\r\nGET /second HTTP/1.1\r\nHost: a\r\n\r\n');
    });
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect((await fetchSeen(controlPort)).map((record) => record.url)).toEqual(['/first']);
  });

  describe('cases gu rejects only for their missing Host, with `Host: corpus` added', () => {
    hostAddedTests(targetFor, (_corpusCase, expected) => expected);
  });

  describe('counts, bare node:http (before) and gu (after), every case sent whole', () => {
    let bareNode: (CorpusTarget & { stop(): void }) | undefined;
    beforeAll(async () => {
      bareNode = await startBareNode();
    });
    afterAll(() => bareNode?.stop());

    it('gu rejects more invalid cases than bare node:http and keeps every valid one it had', async () => {
      const guTarget = await targetFor(defaults);
      const tally = { invalid: 0, valid: 0, bare: { rejected: 0, identical: 0 }, gu: { rejected: 0, identical: 0 }, configured: { rejected: 0, identical: 0 } };
      const skipped = cases.filter((corpusCase) => skipReason(corpusCase) !== undefined).length;
      for (const corpusCase of cases) {
        const counts = async (target: CorpusTarget): Promise<boolean> => {
          const observed = await runCase(target, corpusCase, false);
          return corpusCase.valid ? isIdentical(observed, corpusCase.requests ?? []) : isRejected(observed);
        };
        const [before, after] = [await counts(bareNode as CorpusTarget), await counts(guTarget)];
        // With the case's own settings where gu has them all (its defaults otherwise).
        const configured = skipReason(corpusCase) === undefined ? await counts(await targetFor(corpusCase)) : after;
        const key = corpusCase.valid ? 'identical' : 'rejected';
        tally[corpusCase.valid ? 'valid' : 'invalid']++;
        if (before) tally.bare[key]++;
        if (after) tally.gu[key]++;
        if (configured) tally.configured[key]++;
        // A case that sets a setting (valid/024: limit_request_line 8200) is sent here with gu's
        // defaults, which Gunicorn's defaults would refuse too: only config-free cases must not regress.
        const onDefaults = Object.keys(corpusCase.config).length === 0;
        expect(after || !before || !onDefaults, `${corpusCase.name}: bare node:http got it right, gu does not`).toBe(true);
      }
      console.log(
        `request corpus: invalid rejected ${tally.bare.rejected}/${tally.invalid} before (bare node:http), ${tally.gu.rejected}/${tally.invalid} after (gu, defaults), ` +
          `${tally.configured.rejected}/${tally.invalid} with each case's settings; ` +
          `valid identical ${tally.bare.identical}/${tally.valid} before, ${tally.gu.identical}/${tally.valid} after (defaults), ${tally.configured.identical}/${tally.valid} with each case's settings; ` +
          `${skipped} cases need settings gu does not have (skipped in the per-case tests)`,
      );
      expect(tally.gu.rejected).toBeGreaterThan(tally.bare.rejected);
    });
  });
});
