// docs/http-conformance.md tells users where gu answers otherwise than Gunicorn; the request corpus
// test asserts those outcomes from its tables (request-corpus.expectations.ts). This keeps the two
// lists the same: every case the tables treat otherwise, and every Gunicorn setting gu lacks, is
// named in the docs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deliberateDifferences, hostRequiredCases, knownGaps, missingSettings, withHostDifferences } from '../e2e/request-corpus.expectations.js';

const docs = readFileSync(join(import.meta.dirname, '../../../../docs/http-conformance.md'), 'utf8');

describe('docs/http-conformance.md', () => {
  it('names every corpus case the test expects otherwise than Gunicorn', () => {
    const listed = new Set([...Object.keys(deliberateDifferences), ...Object.keys(withHostDifferences), ...Object.keys(knownGaps)]
      .filter((name) => !hostRequiredCases.includes(name) || name in withHostDifferences));
    expect([...listed].filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });

  it('counts the valid cases answered 400 for their missing Host', () => {
    expect(docs).toContain(`${hostRequiredCases.length} valid cases lack \`Host\``);
  });

  it('names every Gunicorn setting gu does not have', () => {
    expect(Object.keys(missingSettings).filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });
});
