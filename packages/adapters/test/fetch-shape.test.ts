// Which values the fetch adapter takes, and what it says about those it does not.
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { adaptFetchApp, fetchApp, hono, isFetchApp } from '../src/index.js';
import { recordingLog } from './fetch-support.js';

const plain = { fetch: () => new Response('ok') };

describe('isFetchApp', () => {
  it('accepts { fetch }, a Hono app and a module whose default export is one', async () => {
    const source = 'data:text/javascript,export default { fetch() { return new Response("ns") } }';
    const namespace = (await import(source)) as unknown;
    expect([isFetchApp(plain), isFetchApp(new Hono()), isFetchApp(namespace)]).toEqual([true, true, true]);
  });

  it('refuses a node listener, an object without fetch, a non-function fetch, null', () => {
    const listener = (): void => undefined;
    expect([listener, {}, { fetch: 'x' }, null, undefined, 'fetch'].map(isFetchApp)).toEqual([false, false, false, false, false, false]);
  });
});

describe('adaptFetchApp', () => {
  it('gives a fetch AdaptedApp with a listener and a close, no upgrade; fetchApp and hono are the same function', () => {
    const adapted = adaptFetchApp(plain);
    expect(adapted.framework).toBe('fetch');
    expect(typeof adapted.listener).toBe('function');
    expect(typeof adapted.close).toBe('function');
    expect(adapted.upgrade).toBeUndefined();
    expect([fetchApp, hono]).toEqual([adaptFetchApp, adaptFetchApp]);
  });

  it('refuses what is not a fetch app, naming the spec and showing the shape expected', () => {
    expect(() => adaptFetchApp({ handle() {} }, { spec: 'server.js:app' })).toThrow(
      /^server\.js:app is not a fetch-style app: expected an object with a fetch\(request\) method, e\.g\. export default \{ fetch: \(request\) => new Response\('hello'\) \}$/,
    );
  });

  it('warns that a websocket handler needs -k asgi, and serves the HTTP side', () => {
    const log = recordingLog();
    const adapted = adaptFetchApp({ ...plain, websocket: { message() {} } }, { log, spec: 'ws.js' });
    expect(log.warnings).toEqual([expect.stringMatching(/^ws\.js has a websocket handler: WebSocket routes of fetch-style apps are served by -k asgi/)]);
    expect(adapted.upgrade).toBeUndefined();
  });
});
