import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { headRejection } from '../../src/http/head-limits.js';

function request(url: string, rawHeaders: string[] = []): IncomingMessage {
  return { method: 'GET', url, httpVersion: '1.1', rawHeaders } as unknown as IncomingMessage;
}

describe('headRejection', () => {
  const limits = { line: 20, fields: 2, fieldSize: 12 };

  it('measures the request line as Gunicorn does, without CRLF', () => {
    // `GET /123456 HTTP/1.1` is 20 bytes.
    expect(headRejection(request('/123456'), limits)).toBe(0);
    expect(headRejection(request('/1234567'), limits)).toBe(414);
    expect(headRejection(request('/'.repeat(10_000)), { ...limits, line: 0 })).toBe(0);
  });

  it('counts fields, and each as `Name: value` plus CRLF', () => {
    expect(headRejection(request('/', ['A', '1', 'B', '2']), limits)).toBe(0);
    expect(headRejection(request('/', ['A', '1', 'B', '2', 'C', '3']), limits)).toBe(431);
    // `Name: 123456` + CRLF = 14 > 12; `Nm: 123456` + CRLF = 12.
    expect(headRejection(request('/', ['Nm', '123456']), limits)).toBe(0);
    expect(headRejection(request('/', ['Name', '123456']), limits)).toBe(431);
    expect(headRejection(request('/', ['Name', 'x'.repeat(100)]), { ...limits, fieldSize: 0 })).toBe(0);
  });
});
