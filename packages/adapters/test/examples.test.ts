// apps/express-example, fastify-example, koa-example and nest-example, served as `tooling/run NAME`
// does (gu app.js, or app.js:create() for Nest, in the app's folder), on port 0.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, startGu } from '@gu/testkit';

const appsDir = join(import.meta.dirname, '../../../apps');

afterEach(cleanUp);

describe.each(['express', 'fastify', 'koa', 'nest'])('apps/%s-example', (framework) => {
  it('serves / and /json as tooling/run serves it', async () => {
    const spec = framework === 'nest' ? 'app.js:create()' : 'app.js';
    const gu = await startGu([spec, '-b', '127.0.0.1:0'], { cwd: join(appsDir, `${framework}-example`) });
    const home = await fetch(`${gu.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/^Hello from \w+, served by gu worker \d+\n$/);
    expect(await (await fetch(`${gu.url}/json`)).json()).toMatchObject({ framework, server: 'gu' });
  });
});
