// apps/express-example, apps/fastify-example and apps/koa-example, served as `tooling/run NAME` does
// (gu app.js in the app's folder), on port 0.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, startGu } from '@gu/testkit';

const appsDir = join(import.meta.dirname, '../../../apps');

afterEach(cleanUp);

describe.each(['express', 'fastify', 'koa'])('apps/%s-example', (framework) => {
  it('serves / and /json with gu app.js', async () => {
    const gu = await startGu(['app.js', '-b', '127.0.0.1:0'], { cwd: join(appsDir, `${framework}-example`) });
    const home = await fetch(`${gu.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toMatch(/^Hello from \w+, served by gu worker \d+\n$/);
    expect(await (await fetch(`${gu.url}/json`)).json()).toMatchObject({ framework, server: 'gu' });
  });
});
