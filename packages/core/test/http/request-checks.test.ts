import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { failedCheck, headFacts, requestChecks } from '../../src/http/request-checks.js';
import { loadCorpus } from '../support/request-corpus.js';

/** The parsed head node:http would hand over. */
function head(line: string, rawHeaders: string[] = ['Host', 'example.com']): IncomingMessage {
  const [method, url, version] = line.split(' ') as [string, string, string];
  const [major, minor] = version.slice('HTTP/'.length).split('.').map(Number) as [number, number];
  return { method, url, httpVersion: `${major}.${minor}`, httpVersionMajor: major, httpVersionMinor: minor, rawHeaders } as unknown as IncomingMessage;
}

describe('request checks', () => {
  it('let ordinary requests through', () => {
    expect(failedCheck(head('GET / HTTP/1.1'))).toBeUndefined();
    expect(failedCheck(head('OPTIONS * HTTP/1.1'))).toBeUndefined();
    expect(failedCheck(head('POST /p HTTP/1.1', ['Host', 'a', 'Transfer-Encoding', 'chunked', 'Content-Type', 'text/plain']))).toBeUndefined();
    expect(failedCheck(head('POST /p HTTP/1.0', ['Content-Length', '3', 'content-length', '3']))).toBeUndefined();
    expect(failedCheck(head('GET / HTTP/1.0', []))).toBeUndefined();
  });

  it.each([
    ['unsupported HTTP version', head('GET /foo HTTP/2.0')],
    ['unsupported HTTP version', head('GET /foo HTTP/1.2')],
    ['asterisk target without OPTIONS', head('GET * HTTP/1.1')],
    ['missing Host', head('GET / HTTP/1.1', [])],
    ['missing Host', head('POST / HTTP/1.1', ['X-Host', 'a', 'Content-Length', '0'])],
    ['duplicate Host', head('GET / HTTP/1.1', ['Host', 'a', 'HOST', 'b'])],
    ['duplicate Content-Type', head('GET / HTTP/1.1', ['Host', 'a', 'Content-Type', 'a/b', 'content-type', 'a/b'])],
    ['conflicting Content-Length', head('POST / HTTP/1.1', ['Host', 'a', 'Content-Length', '3', 'Content-Length', '2'])],
    ['Transfer-Encoding on HTTP/1.0', head('POST / HTTP/1.0', ['Transfer-Encoding', 'chunked'])],
    ['Content-Length with Transfer-Encoding', head('POST / HTTP/1.1', ['Host', 'a', 'Content-Length', '3', 'Transfer-Encoding', 'chunked'])],
  ])('reject: %s', (name, req) => {
    expect(failedCheck(req)?.name).toBe(name);
  });

  it('count the headers they need, case-insensitively, in one pass', () => {
    expect(headFacts(['host', 'a', 'X-Hosts', 'b', 'CONTENT-LENGTH', '1', 'Transfer-encoding', 'chunked'])).toEqual({
      hosts: 1,
      contentTypes: 0,
      contentLengths: ['1'],
      transferEncodings: 1,
    });
  });

  it('name only invalid cases of the corpus', () => {
    const invalid = new Set(loadCorpus().filter((corpusCase) => !corpusCase.valid).map((corpusCase) => corpusCase.name));
    for (const check of requestChecks) for (const name of check.corpusCases) expect(invalid, check.name).toContain(name);
  });
});
