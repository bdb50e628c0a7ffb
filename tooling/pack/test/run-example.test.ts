import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';
import { workspaceRoot } from '@gu/pack';
import { stopGracefully, userEnv } from './user-project.js';

afterEach(cleanUp);

// PORT=0: the port the README's PORT=9000 stands for, which a test cannot assume free.
describe.each(['example', 'hono-example', 'chat', 'express-example', 'fastify-example', 'koa-example', 'nest-example'])('PORT=N tooling/run %s', (entry) => {
  it('serves on 127.0.0.1:N instead of 8000, on that one address only', async () => {
    const gu = await startGu([], { command: [join(workspaceRoot, 'tooling/run'), entry], env: { ...userEnv, PORT: '0' } });
    expect(gu.addresses).toHaveLength(1);
    expect(gu.url).toMatch(/^http:\/\/127\.0\.0\.1:(?!8000$)\d+$/);
    expect((await httpGet(gu.url)).status).toBe(200);
    await stopGracefully(gu);
  });
});
