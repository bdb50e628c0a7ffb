import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { describe, expect, it, vi } from 'vitest';
import { adapt, detectFramework, express as expressWrapper, fastify as fastifyWrapper, koa as koaWrapper, type AdapterLog } from '../src/index.js';

function recordingLog() {
  const exception = vi.fn<(message: string, error: unknown) => void>();
  const log: AdapterLog = { info: vi.fn(), warning: vi.fn(), error: vi.fn(), exception };
  return { log, exception };
}

describe('detection: one ordered table', () => {
  it.each([
    ['express', () => express()],
    ['koa', () => new Koa()],
    ['fastify', () => Fastify()],
    ['listener', () => (_req: unknown, res: { end(): void }) => { res.end(); }],
    ['callback', () => ({ callback: () => () => undefined })],
  ])('%s', (framework, make) => {
    expect(detectFramework(make())?.framework).toBe(framework);
  });

  it('an AdaptedApp (what a wrapper returns) is served as it is, with gu\'s log handed over', () => {
    const app = new Koa();
    const wrapped = koaWrapper(app);
    const { log, exception } = recordingLog();
    expect(adapt(wrapped, { spec: 'app.js', log })).toBe(wrapped);
    app.emit('error', new Error('boom'), { method: 'GET', originalUrl: '/x' });
    expect(exception).toHaveBeenCalledWith('Error in the Koa app handling GET /x', expect.any(Error));
  });
});

describe('one line for what gu cannot serve: what was found, what is accepted, a fix', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an object of unknown shape', { handler: 1, port: 2 }, /it is an object with keys handler, port; gu serves a request listener \(req, res\), an Express, Koa, Fastify or NestJS app, or a fetch-style app .*; export the app as created, e.g\. export const app = express\(\)/],
    ['a Promise', Promise.resolve(), /it is a Promise; .*export async function create\(\)/],
    // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- what a Nest user exports by mistake
    ['a class', class AppModule {}, /it is the class AppModule; .*NestFactory\.create\(AppModule\)/],
    ['a Koa-like object whose callback() gives no listener', { callback: () => 42 }, /callback\(\) returned the number 42, not a request listener .*new Koa\(\)/],
  ];
  it.each(cases)('%s', (_name, app, message) => {
    let thrown: unknown;
    try {
      adapt(app, { spec: 'app.js:app' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'GU_ERR_APP_LOAD' });
    const text = (thrown as Error).message;
    expect(text.startsWith('Cannot load app "app.js:app": ')).toBe(true);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('a wrapper given another framework\'s app says what it was given', () => {
    expect(() => fastifyWrapper(express())).toThrow(/fastify\(\) was given a function, not a Fastify instance/);
    expect(() => expressWrapper(new Koa())).toThrow(/express\(\) was given an object with keys .*, not an Express app/);
  });
});

describe('lifecycles', () => {
  it("Fastify's app.routing exported alone is refused in one line that says to export the app", () => {
    const app = Fastify();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- what a user exports
    const { routing } = app;
    expect(() => adapt(routing, { spec: 'app.js:routing' })).toThrow(
      /^Cannot load app "app\.js:routing": it is Fastify's app\.routing, which fails every request until app\.ready\(\) has run; export the Fastify app itself, e\.g\. export default app/,
    );
  });

  it('Fastify: routing only after ready(); close() runs the onClose hooks', async () => {
    const app = Fastify();
    const closed = vi.fn();
    app.addHook('onClose', (_instance, done) => {
      closed();
      done();
    });
    const adapted = fastifyWrapper(app);
    expect(adapted.upgrade).toBeUndefined();
    await adapted.ready?.();
    // eslint-disable-next-line @typescript-eslint/unbound-method -- compared, not called
    expect(adapted.listener).toBe(app.routing);
    await adapted.close?.();
    expect(closed).toHaveBeenCalledOnce();
  });

  it('Koa: the app\'s client errors and 404s are not logged, as Koa itself does not print them', () => {
    const app = new Koa();
    const { log, exception } = recordingLog();
    adapt(app, { log });
    app.emit('error', Object.assign(new Error('nope'), { status: 404 }), {});
    app.emit('error', Object.assign(new Error('bad input'), { expose: true }), {});
    expect(exception).not.toHaveBeenCalled();
  });
});
