import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { proxyHeaderCheck, schemeHeadersOf, schemesDisagree } from '../../src/http/proxy-headers.js';
import { rawGet, sendRaw } from '../support/raw-http.js';

const SCHEMES = { 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' };

let server: http.Server | undefined;
afterEach(() => server?.close());

/** What a handler behind the check saw, on a bare node:http server. */
async function seenBehind(allowIps: string[], extra: string[]): Promise<Record<string, unknown>> {
  const check = proxyHeaderCheck(allowIps, { ...SCHEMES, 'X-Scheme': 'https' });
  server = http.createServer((req, res) => {
    const status = check(req);
    res.end(JSON.stringify({ status, headers: req.headers, raw: req.rawHeaders, distinct: req.headersDistinct }));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const res = await sendRaw(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, rawGet('/', extra));
  return JSON.parse(res.text.slice(res.text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
}

const PROXY_HEADERS = ['X-Forwarded-For: 1.2.3.4', 'x-forwarded-HOST: evil', 'FORWARDED: for=1.2.3.4', 'X-Scheme: https'];

describe('proxy headers from an untrusted peer', () => {
  it('are removed from headers, rawHeaders and headersDistinct (node builds headers before the handler)', async () => {
    const seen = await seenBehind(['10.0.0.1'], [...PROXY_HEADERS, 'X-Kept: yes', 'X-Forwarded-For: 5.6.7.8']);
    expect(seen.status).toBe(0);
    expect(seen.headers).toEqual({ host: 't', 'x-kept': 'yes', connection: 'close' });
    expect(seen.raw).toEqual(['Host', 't', 'X-Kept', 'yes', 'Connection', 'close']);
    expect(Object.keys(seen.distinct as object)).toEqual(['host', 'x-kept', 'connection']);
  });

  it('pass from a trusted peer', async () => {
    const seen = await seenBehind(['127.0.0.0/8'], PROXY_HEADERS);
    expect(seen.status).toBe(0);
    expect(seen.headers).toMatchObject({ 'x-forwarded-for': '1.2.3.4', forwarded: 'for=1.2.3.4', 'x-scheme': 'https' });
  });
});

describe('scheme headers', () => {
  const schemes = schemeHeadersOf(SCHEMES);
  /** A flat raw header list, names as a client may case them. */
  const raw = (headers: Record<string, string>): string[] => Object.entries(headers).flatMap(([name, value]) => [name.toUpperCase(), value]);

  it('disagree when one says https and another http', () => {
    expect(schemesDisagree(raw({ 'x-forwarded-proto': 'https', 'x-forwarded-ssl': 'off' }), schemes)).toBe(true);
    expect(schemesDisagree(raw({ 'x-forwarded-proto': 'http', 'x-forwarded-protocol': 'ssl' }), schemes)).toBe(true);
  });

  it('agree when they say the same, in any case, or when only one is sent', () => {
    expect(schemesDisagree(raw({ 'x-forwarded-proto': 'HTTPS', 'x-forwarded-ssl': 'on' }), schemes)).toBe(false);
    expect(schemesDisagree(raw({ 'x-forwarded-proto': 'http', 'x-forwarded-ssl': 'off' }), schemes)).toBe(false);
    expect(schemesDisagree(raw({ 'x-forwarded-proto': 'https' }), schemes)).toBe(false);
    expect(schemesDisagree(raw({}), schemes)).toBe(false);
  });

  it('counts each field: a repeated header that says both disagrees', () => {
    expect(schemesDisagree(['X-Forwarded-Proto', 'https', 'x-forwarded-proto', 'http'], schemes)).toBe(true);
  });
});
