import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, tempDir } from '@gu/testkit';

const worker = ['-k', join(import.meta.dirname, '../fixtures/e2e/minimal-worker.mjs'), '-b', '127.0.0.1:0'];

afterEach(cleanUp);

/** A project as `npm init -y` leaves it: package.json says "type": "commonjs". */
function commonjsProject(files: Record<string, string>): string {
  const dir = tempDir('gu-ts-cjs-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', type: 'commonjs' }));
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return dir;
}

const esmApp = {
  'app.ts': [
    "import type { IncomingMessage, ServerResponse } from 'node:http';",
    "import { greeting } from './greeting.ts';",
    'export const app = (req: IncomingMessage, res: ServerResponse): void => {',
    '  res.end(`${greeting} ${req.url ?? ""}`);',
    '};',
  ].join('\n'),
  'greeting.ts': "export const greeting: string = 'hello from ESM TypeScript';\n",
};

describe('.ts files in a "type": "commonjs" project', () => {
  it('serves a .ts app written with import/export, and the .ts modules it imports', async () => {
    const gu = await startGu(['app.ts:app', ...worker], { cwd: commonjsProject(esmApp) });
    const response = await httpGet(`${gu.url}/x`);
    expect(response).toMatchObject({ status: 200, body: 'hello from ESM TypeScript /x' });
    expect(gu.stderr).not.toMatch(/Failed to load the ES module|Cannot use import statement/);
  });

  it('reads a gu.config.ts written with import/export, in the arbiter and in the workers', async () => {
    const config = [
      "import { availableParallelism } from 'node:os';",
      'const workers: number = Math.min(availableParallelism(), 1);',
      "export default { app: 'app.ts:app', workers, postWorkerInit: (): void => console.log('hook from gu.config.ts') };",
    ].join('\n');
    const project = commonjsProject({ ...esmApp, 'gu.config.ts': config });
    const checked = await runGu(['--check-config', ...worker], { cwd: project });
    expect(checked).toMatchObject({ code: 0, stderr: '' });
    const gu = await startGu(worker, { cwd: project });
    expect((await httpGet(gu.url)).body).toBe('hello from ESM TypeScript /');
    await gu.waitForLog(/hook from gu\.config\.ts/);
  });

  it('still loads a .ts app written in CommonJS (require, module.exports) as CommonJS', async () => {
    const app = [
      "const { basename } = require('node:path');",
      'module.exports = { app: (req: unknown, res: { end(body: string): void }): void => res.end(`cjs ${basename(__filename)}`) };',
    ].join('\n');
    const gu = await startGu(['app.ts:app', ...worker], { cwd: commonjsProject({ 'app.ts': app }) });
    expect((await httpGet(gu.url)).body).toBe('cjs app.ts');
  });

  it('leaves a .cts file CommonJS, as its extension says', async () => {
    const app = "export const app = (req: unknown, res: { end(body: string): void }): void => res.end('no');\n";
    const result = await runGu(['app.cts:app', ...worker], { cwd: commonjsProject({ 'app.cts': app }) });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/Cannot load app "app\.cts:app": .*(Unexpected token 'export'|Cannot use import statement)/);
  });
});
