import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { headLimitsOf, headRejection } from '../../src/http/head-limits.js';
import type { Settings } from '../../src/settings/types.js';

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
  });
});

describe('headLimitsOf', () => {
  const of = (limitRequestLine: number, limitRequestFields: number) =>
    headLimitsOf({ limitRequestLine, limitRequestFields, limitRequestFieldSize: 8190 } as Settings);

  it('reads the limits as Gunicorn does: values above the ceilings are the ceilings', () => {
    expect(of(9000, 40_000)).toEqual({ line: 8190, fields: 32768, fieldSize: 8190 });
    expect(of(0, 0)).toEqual({ line: 0, fields: 32768, fieldSize: 8190 });
    expect(of(4094, 100)).toEqual({ line: 4094, fields: 100, fieldSize: 8190 });
  });

  it('reads a field size of 0 as the default 8190, as Gunicorn 26 does, and admits larger sizes', () => {
    const size = (limitRequestFieldSize: number) =>
      headLimitsOf({ limitRequestLine: 4094, limitRequestFields: 100, limitRequestFieldSize } as Settings).fieldSize;
    expect(size(0)).toBe(8190);
    expect(size(8210)).toBe(8210);
  });
});
