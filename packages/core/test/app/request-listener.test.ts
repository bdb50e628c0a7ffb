import { describe, expect, it } from 'vitest';
import { toRequestListener } from '../../src/app/request-listener.js';
import { AppLoadError } from '../../src/errors.js';
import { respond } from './respond.js';

function listenerError(app: unknown): string {
  try {
    toRequestListener(app, 'app.js:app', process.cwd());
  } catch (error) {
    if (error instanceof AppLoadError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('toRequestListener', () => {
  it('returns a function as it is (Express apps are functions)', () => {
    const app = (): void => undefined;
    expect(toRequestListener(app, 'app.js', process.cwd())).toBe(app);
  });

  it("uses a Koa-style app's callback(), called on the app", () => {
    const koa = {
      greeting: 'koa callback',
      callback(this: { greeting: string }) {
        const { greeting } = this;
        return (_req: unknown, res: { end(text: string): void }) => { res.end(greeting); };
      },
    };
    expect(respond(toRequestListener(koa, 'app.js', process.cwd()))).toBe('koa callback');
  });

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [42, 'the number 42'],
    ['app', 'the string "app"'],
    [{ listen: 1, use: 2 }, 'an object with keys listen, use'],
    [{}, 'an object with no keys'],
    [[1, 2], 'an array of 2 items'],
    [Promise.resolve(1), 'a Promise'],
    [{ callback: () => 'nope' }, 'an object whose callback() returned the string "nope"'],
  ])('refuses %o and says what it is', (app, found) => {
    const message = listenerError(app);
    expect(message).toContain('Cannot load app "app.js:app": it is not a request listener (a function (req, res)), it is ');
    expect(message).toContain(found);
  });

  it.each([
    [{ routing: () => undefined, ready: () => undefined }, 'a Fastify app'],
    [{ fetch: () => undefined }, 'a fetch-style app'],
    [{ getHttpAdapter: () => undefined, init: () => undefined }, 'a NestJS app'],
  ])('says to install @gu/adapters for what it serves: %o', (app, looksLike) => {
    expect(listenerError(app)).toMatch(new RegExp(`; it looks like ${looksLike}.*, which @gu/adapters serves: npm install @gu/adapters$`));
  });

  it('refuses a fetch function named by the spec (app.js:default.fetch) instead of serving it as a listener that never answers', () => {
    const fetchFunction = (): Response => new Response('hi');
    for (const spec of ['app.js:default.fetch', 'app.js:fetch']) {
      expect(() => toRequestListener(fetchFunction, spec, process.cwd())).toThrow(
        `Cannot load app "${spec}": it is a fetch function (request) => Response, which @gu/adapters serves: npm install @gu/adapters`,
      );
    }
    // A listener exported under another name, or a module path containing "fetch", is a listener.
    expect(toRequestListener(fetchFunction, 'fetch.js:app', process.cwd())).toBe(fetchFunction);
    expect(toRequestListener(fetchFunction, 'app.js:prefetch', process.cwd())).toBe(fetchFunction);
  });

  it('does not mention @gu/adapters for a shape it does not serve either', () => {
    expect(listenerError({ listen: 1 })).not.toContain('@gu/adapters');
  });

  it('lists at most eight keys of an object', () => {
    const keys = Object.fromEntries('abcdefghij'.split('').map((key) => [key, 1]));
    expect(listenerError(keys)).toMatch(/keys a, b, c, d, e, f, g, h, …$/);
  });
});
