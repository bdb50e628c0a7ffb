// Pins src/express/express4-async-errors.ts against the Express 4 it patches.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { catchAsyncErrors, isExpress4App, layerPrototypeOf } from '../src/express/express4-async-errors.js';

/** An Express 4 app, as the module sees it (@types/express describes Express 5, without lazyrouter). */
function express4App() {
  const app = express4();
  if (!isExpress4App(app)) throw new Error('express4 is not Express 4');
  return app;
}

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function get(listener: http.RequestListener, path: string): Promise<{ status: number; body: string }> {
  const server = http.createServer(listener).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, { signal: AbortSignal.timeout(3000) });
  return { status: response.status, body: await response.text() };
}

function appWithRejectingRoute() {
  const app = express4App();
  app.get('/reject', async () => {
    await Promise.resolve();
    throw Object.assign(new Error('rejected'), { status: 503 });
  });
  app.use((error: Error & { status: number }, _req: express4.Request, res: express4.Response, _next: express4.NextFunction) => {
    res.status(error.status).send(`handled: ${error.message}`);
  });
  return app;
}

describe('Express 4 async errors (the Layer internals it relies on)', () => {
  it('Express 4 (told apart by lazyrouter) has the Layer shape the module knows', () => {
    expect(layerPrototypeOf(express4App())).not.toBeNull();
  });

  it('after the patch, a rejected async handler reaches the app\'s error handler with its error', async () => {
    const app = appWithRejectingRoute();
    expect(catchAsyncErrors(app)).toBe(true);
    expect(await get(app, '/reject')).toEqual({ status: 503, body: 'handled: rejected' });
  });

  it('refuses a router whose Layer is not Express 4\'s: nothing is changed', () => {
    const layer = { handle_request: (_a: unknown, _b: unknown, _c: unknown) => undefined, handle_error: (_a: unknown, _b: unknown, _c: unknown, _d: unknown) => undefined };
    const app = { lazyrouter: () => undefined, _router: { stack: [Object.create(layer) as object] } };
    expect(catchAsyncErrors(app)).toBe(false);
    expect(layer.handle_request.name).toBe('handle_request');
  });
});
