import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, startGu } from '@gu/testkit';
import { timedRequest } from './support.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const threads = ['-k', 'threads', '--threads', '2', '-b', '127.0.0.1:0'];
const query = '/search?q=gu&tag=a&tag=b&page%5Bsize%5D=10';

/** What each framework makes of the same requests when it runs under plain node:http. */
interface Framework {
  name: string;
  /** The app spec as a user passes it to gu. */
  spec: string;
  /** `query` as the framework's own parser reads it. */
  parsedQuery: unknown;
  /** The names of the Set-Cookie and the custom header as the framework writes them. */
  names: { setCookie: string; custom: string };
  setCookies: string[];
  notFound: RegExp;
  serverError: RegExp;
  /** How the framework itself logs the route's error (null: it does not). */
  errorLog: RegExp | null;
}

const frameworks: Framework[] = [
  {
    name: 'Express 4',
    spec: `${join(fixtures, 'express4-app.mjs')}:app`,
    // Express 4's default query parser is qs: nested keys become objects.
    parsedQuery: { q: 'gu', tag: ['a', 'b'], page: { size: '10' } },
    names: { setCookie: 'Set-Cookie', custom: 'X-Custom-Case' },
    setCookies: ['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/'],
    notFound: /<pre>Cannot GET \/missing<\/pre>/,
    serverError: /<pre>Internal Server Error<\/pre>/,
    errorLog: /Error: boom in an Express 4 route\n\s+at /,
  },
  {
    name: 'Koa 3',
    spec: `${join(fixtures, 'koa-app.mjs')}:app`,
    parsedQuery: { q: 'gu', tag: ['a', 'b'], 'page[size]': '10' },
    names: { setCookie: 'Set-Cookie', custom: 'X-Custom-Case' },
    setCookies: ['session=abc; path=/; httponly', 'theme=dark; path=/'],
    notFound: /^Not Found$/,
    serverError: /^Internal Server Error$/,
    // Koa's error event, in gu's error log (@gu/adapters, found beside core in the workspace).
    errorLog: /\[ERROR\] Error in the Koa app handling GET \/throw\nError: boom in a Koa route\n\s+at /,
  },
  {
    name: 'Fastify 5',
    spec: `${join(fixtures, 'fastify-app.mjs')}:create()`,
    parsedQuery: { q: 'gu', tag: ['a', 'b'], 'page[size]': '10' },
    // Fastify lowercases every header name it is given, under plain node:http too.
    names: { setCookie: 'set-cookie', custom: 'x-custom-case' },
    setCookies: ['session=abc; Path=/; HttpOnly', 'theme=dark; Path=/'],
    notFound: /^\{"message":"Route GET:\/missing not found","error":"Not Found","statusCode":404\}$/,
    serverError: /^\{"statusCode":500,"error":"Internal Server Error","message":"boom in a Fastify route"\}$/,
    errorLog: null,
  },
];

/** The values of every line of the header `name` (exact case), in the order they came. */
function headerLines(rawHeaders: string[], name: string): string[] {
  return rawHeaders.filter((_, i) => i % 2 === 1 && rawHeaders[i - 1] === name);
}

afterEach(cleanUp);

describe('@gu/worker-threads: framework apps run unchanged inside threads', () => {
  it.each(frameworks)('$name: query, JSON body, cookies and header case, its own 404 and 500, a streamed response', async (framework) => {
    // Production, as served: Express's error page then shows no stack, so its body is known.
    const gu = await startGu([framework.spec, ...threads], { env: { NODE_ENV: 'production' } });

    const search = await fetch(`${gu.url}${query}`);
    expect(search.status).toBe(200);
    expect(await search.json()).toEqual(framework.parsedQuery);

    const echo = await fetch(`${gu.url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'gu', n: [1, 2] }) });
    expect(echo.status).toBe(201);
    expect(await echo.json()).toEqual({ received: { hello: 'gu', n: [1, 2] } });

    const cookies = await timedRequest(`${gu.url}/cookies`);
    expect(cookies.body.toString()).toBe('cookies');
    // Two header lines, not one joined value; and the name in the case the app wrote it.
    expect(headerLines(cookies.rawHeaders, framework.names.setCookie)).toEqual(framework.setCookies);
    expect(headerLines(cookies.rawHeaders, framework.names.custom)).toEqual(['Kept']);

    const missing = await fetch(`${gu.url}/missing`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(framework.notFound);

    const thrown = await fetch(`${gu.url}/throw`);
    expect(thrown.status).toBe(500);
    expect(await thrown.text()).toMatch(framework.serverError);
    if (framework.errorLog) await gu.waitForLog(framework.errorLog);

    const stream = await timedRequest(`${gu.url}/stream`);
    expect(stream.status).toBe(200);
    expect(stream.body.toString()).toBe('tick 0\ntick 1\ntick 2\n');
    // Three writes 150 ms apart: each arrives as it is written, not all at the end.
    expect(stream.arrivals.length).toBeGreaterThanOrEqual(3);
    expect(stream.arrivals.at(-1)! - stream.arrivals[0]!).toBeGreaterThan(200);

    // The framework answered every error itself: gu's own 500 was never needed.
    expect(gu.stderr).not.toContain('Error handling request');
  });
});
