// The example app of README.md's "The protocol" runs as written: lifespan state, the body received,
// the path decoded, shutdown on TERM.
import { afterEach, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, startGu, tempDir } from '@gu/testkit';
import { asgi } from './http-support.js';

afterEach(cleanUp);

it('serves the README example as it says', async () => {
  const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
  const example = /```js\n(\/\/ app\.mjs[^]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const app = join(tempDir('gu-asgi-readme-'), 'app.mjs');
  writeFileSync(app, example ?? '');
  const gu = await startGu([app, ...asgi]);
  const res = await fetch(`${gu.url}/caf%C3%A9`, { method: 'POST', body: 'hello' });
  expect(await res.text()).toBe('Hello, /café (5 bytes in)\n');
  gu.signal('SIGTERM');
  expect((await gu.exited).code).toBe(0);
  expect(gu.stderr).toContain('Application shutdown complete.');
});
