// Request smuggling cases beyond Gunicorn's corpus (smuggling.cases.ts) against one real gu, each sent
// whole and split into seeded 1–7 byte pieces; the counts by class, gu against bare node:http, are
// printed for docs/http-conformance.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp } from '@gu/testkit';
import { startBareNode, startCorpusGu } from '../support/corpus-servers.js';
import { isCutAfterHold, isRejected, runCase, type CorpusCase, type CorpusTarget, type Observed } from '../support/request-corpus.js';
import { smugglingClasses, type SmugglingCase } from './smuggling.cases.js';

let gu: CorpusTarget;
let bare: (CorpusTarget & { stop(): void }) | undefined;

beforeAll(async () => {
  [gu, bare] = await Promise.all([startCorpusGu([]), startBareNode()]);
});

afterAll(async () => {
  bare?.stop();
  await cleanUp();
});

function asCorpusCase(smuggling: SmugglingCase): CorpusCase {
  return { name: `smuggling/${smuggling.name}`, raw_b64: Buffer.from(smuggling.raw, 'latin1').toString('base64'), config: {}, valid: false };
}

/** The outcome the case asks for, judged from what came back and what the app saw. */
function isExpected(smuggling: SmugglingCase, observed: Observed): boolean {
  if (smuggling.outcome.kind === 'rejected') return isRejected(observed) || isCutAfterHold(asCorpusCase(smuggling), observed);
  const { requests } = smuggling.outcome;
  if (observed.timedOut || observed.garbage !== '' || observed.seen.length !== requests.length) return false;
  if (observed.statuses.length !== requests.length || observed.statuses.some((status) => status !== 200)) return false;
  return observed.seen.every((record, i) => {
    const want = requests[i];
    return record.complete && record.url === want?.url && Buffer.from(record.body, 'base64').toString('latin1') === want.body;
  });
}

function describeObserved(observed: Observed): string {
  const seen = observed.seen.map((record) => ({ url: record.url, body: Buffer.from(record.body, 'base64').toString('latin1'), complete: record.complete }));
  return JSON.stringify({ statuses: observed.statuses, garbage: observed.garbage, timedOut: observed.timedOut, seen });
}

describe('request smuggling beyond the corpus', () => {
  for (const [name, cases] of Object.entries(smugglingClasses)) {
    describe(name, () => {
      for (const smuggling of cases) {
        it(`${smuggling.name} (${smuggling.outcome.kind})`, async () => {
          const corpusCase = asCorpusCase(smuggling);
          for (const split of [false, true]) {
            const observed = await runCase(gu, corpusCase, split);
            expect(isExpected(smuggling, observed), `${split ? 'split' : 'whole'}: ${describeObserved(observed)}`).toBe(true);
          }
        });
      }
    });
  }

  it('counts: gu gets every case right, bare node:http not all', async () => {
    const lines: string[] = [];
    let [total, guRight, bareRight] = [0, 0, 0];
    for (const [name, cases] of Object.entries(smugglingClasses)) {
      let [classGu, classBare] = [0, 0];
      for (const smuggling of cases) {
        const corpusCase = asCorpusCase(smuggling);
        if (isExpected(smuggling, await runCase(gu, corpusCase, false))) classGu++;
        if (isExpected(smuggling, await runCase(bare as CorpusTarget, corpusCase, false))) classBare++;
      }
      lines.push(`${name}: gu ${classGu}/${cases.length}, bare node:http ${classBare}/${cases.length}`);
      total += cases.length;
      guRight += classGu;
      bareRight += classBare;
    }
    console.log(`request smuggling beyond the corpus: gu ${guRight}/${total}, bare node:http ${bareRight}/${total}\n${lines.join('\n')}`);
    expect(guRight).toBe(total);
    expect(bareRight).toBeLessThan(total);
  });
});
