import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../src/errors.js';
import type { AccessEntry } from '../../src/logging/access-entry.js';
import { compileAccessLogFormat } from '../../src/logging/access-format.js';
import { useTimeZone } from './with-timezone.js';

const gunicornDefaultFormat = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"';

const entry: AccessEntry = {
  remoteAddress: '192.0.2.7',
  method: 'GET',
  url: '/search/a%20b?q=1&lang=en',
  httpVersion: '1.1',
  status: 200,
  responseBytes: 1234,
  requestHeaders: {
    host: 'example.com',
    referer: 'https://ref.example/',
    'user-agent': 'curl/8.5.0',
    authorization: `Basic ${Buffer.from('alice:s3cr:et').toString('base64')}`,
    'x-quoted': 'say "hi"',
  },
  responseHeaders: {
    'content-type': 'text/plain',
    'content-length': 1234,
    'set-cookie': ['a=1', 'b=2'],
    'X-Hand-Set': 'kept',
  },
  startedAt: new Date(Date.UTC(2000, 9, 10, 20, 55, 36)),
  durationMicros: 2_003_456,
  pid: 4321,
  scheme: 'http',
};

const format = (text: string, overrides: Partial<AccessEntry> = {}): string =>
  compileAccessLogFormat(text)({ ...entry, ...overrides });

describe('compileAccessLogFormat', () => {
  useTimeZone('America/Los_Angeles');

  it("prints Gunicorn's default format exactly", () => {
    expect(format(gunicornDefaultFormat)).toBe(
      '192.0.2.7 - alice [10/Oct/2000:13:55:36 -0700] "GET /search/a%20b?q=1&lang=en HTTP/1.1" 200 1234 "https://ref.example/" "curl/8.5.0"',
    );
  });

  it.each([
    ['h', '192.0.2.7'],
    ['l', '-'],
    ['u', 'alice'],
    ['t', '[10/Oct/2000:13:55:36 -0700]'],
    ['r', 'GET /search/a%20b?q=1&lang=en HTTP/1.1'],
    ['m', 'GET'],
    ['U', '/search/a%20b'],
    ['q', 'q=1&lang=en'],
    ['H', 'HTTP/1.1'],
    ['s', '200'],
    ['B', '1234'],
    ['b', '1234'],
    ['f', 'https://ref.example/'],
    ['a', 'curl/8.5.0'],
    ['T', '2'],
    ['M', '2003'],
    ['D', '2003456'],
    ['L', '2.003456'],
    ['p', '<4321>'],
    ['{Host}i', 'example.com'],
    ['{x-quoted}i', 'say \\"hi\\"'],
    ['{Content-Type}o', 'text/plain'],
    ['{content-length}o', '1234'],
    ['{set-cookie}o', 'a=1, b=2'],
    ['{x-hand-set}o', 'kept'],
    ['{X-Missing}i', '-'],
    ['{x-missing}o', '-'],
    ['{host}z', '-'],
    ['zz', '-'],
    ['constructor', '-'],
  ])('prints %%(%s)s as %s', (atom, expected) => {
    expect(format(`%(${atom})s`)).toBe(expected);
  });

  it('prints an environment variable, matching its name case-insensitively', () => {
    process.env.GU_TEST_ACCESS_VARIABLE = 'from "env"';
    try {
      expect(format('%(GU_TEST_ACCESS_VARIABLE)s %({GU_TEST_ACCESS_VARIABLE}e)s %({gu_test_access_variable}e)s')).toBe(
        '- from \\"env\\" from \\"env\\"',
      );
      expect(format('%({GU_TEST_UNSET_VARIABLE}e)s')).toBe('-');
    } finally {
      delete process.env.GU_TEST_ACCESS_VARIABLE;
    }
  });

  it.each([
    [{ responseBytes: 0 }, '%(b)s %(B)s', '0 0'],
    [{ url: '/plain' }, '[%(U)s] [%(q)s]', '[/plain] []'],
    [{ durationMicros: 42 }, '%(T)s %(M)s %(D)s %(L)s', '0 0 42 0.000042'],
    [{ durationMicros: 61_500_000 }, '%(T)s %(M)s %(L)s', '61 61500 61.500000'],
    [{ httpVersion: '1.0', method: 'POST' }, '%(r)s', 'POST /search/a%20b?q=1&lang=en HTTP/1.0'],
    [{ requestHeaders: {} }, '%(u)s "%(f)s" "%(a)s"', '- "-" "-"'],
    [{ remoteAddress: '' }, '%(h)s', '-'],
    [{ scheme: 'https' as const }, '%({wsgi.url_scheme}e)s %({WSGI.URL_SCHEME}e)s', 'https https'],
    [{}, '%({wsgi.url_scheme}e)s', 'http'],
  ])('prints missing or edge values of %o', (overrides, text, expected) => {
    expect(format(text, overrides)).toBe(expected);
  });

  it.each([
    ['Bearer abc', '-'],
    ['Basic', '-'],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`, '-'],
    [`Basic ${Buffer.from([0x61, 0xff, 0x3a]).toString('base64')}`, '-'],
    [`basic ${Buffer.from('bob:pw').toString('base64')}`, 'bob'],
    [`Basic ${Buffer.from(':empty-user').toString('base64')}`, '-'],
  ])('takes the user of Authorization %s as %s', (authorization, user) => {
    expect(format('%(u)s', { requestHeaders: { authorization } })).toBe(user);
  });

  it('keeps literal text, %% and Python widths', () => {
    expect(format('100%% [%(s)5s] [%(s)-5s] %(m)d %(s)i')).toBe('100% [  200] [200  ] GET 200');
  });

  it.each(['%d', 'trailing %', '%(h)x', '%(h', '%(h)', '%s'])('refuses %s at compile time, naming the setting', (text) => {
    expect(() => compileAccessLogFormat(text)).toThrow(InvalidSettingError);
    expect(() => compileAccessLogFormat(text)).toThrow(/^accessLogFormat: invalid value /);
  });

  it('formats many entries with one compiled format', () => {
    const line = compileAccessLogFormat('%(s)s %(U)s');
    expect(line({ ...entry, status: 404, url: '/a' })).toBe('404 /a');
    expect(line({ ...entry, status: 201, url: '/b?c' })).toBe('201 /b');
  });
});
