// `gu app.js:default.fetch`: the fetch function itself, served as a fetch app (it used to be called
// as a (req, res) listener and leave every request unanswered).
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';
import { adapt } from '../src/index.js';
import { namesFetchFunction } from '../src/fetch/fetch-spec.js';

const fixture = join(import.meta.dirname, 'fixtures', 'fetch-hono-app.mjs');

afterEach(cleanUp);

describe('a spec that names a fetch function', () => {
  it('is told apart by the last name of its path', () => {
    expect(['app.js:default.fetch', 'app.js:fetch', 'src/app.ts:server.fetch'].map(namesFetchFunction)).toEqual([true, true, true]);
    expect(['app.js', 'fetch.js:app', 'app.js:prefetch', 'app.js:fetch.handler', undefined].map(namesFetchFunction)).toEqual([false, false, false, false, false]);
  });

  it('is adapted as a fetch app, while the same function under another name stays a listener', () => {
    const fetchFunction = (): Response => new Response('hi');
    expect(adapt(fetchFunction, { spec: 'app.js:default.fetch' }).framework).toBe('fetch');
    expect(adapt(fetchFunction, { spec: 'app.js:app' }).framework).toBe('listener');
  });

  it.each([[[]], [['-k', 'sync']], [['-k', 'threads']]])('serves Hono\'s app.fetch given as app.mjs:default.fetch (%j)', async (classFlags) => {
    const gu = await startGu([`${fixture}:default.fetch`, '-b', '127.0.0.1:0', ...classFlags]);
    const home = await httpGet(`${gu.url}/`, { timeoutMs: 5000 });
    expect(home.status).toBe(200);
    expect(home.body).toMatch(/^hello from \d+$/);
    expect((await httpGet(`${gu.url}/nowhere`, { timeoutMs: 5000 })).status).toBe(404);
  });
});
