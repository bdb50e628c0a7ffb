// A Node that strips no TypeScript types (22.12–22.17, which engines allow) cannot import a .ts app
// or gu.config.ts. This Node 24 behaves the same with --no-experimental-strip-types, which takes the
// same path through gu (process.features.typescript is false): one line, the documented exit code.
// The wording per Node version is unit-tested in test/modules/typescript-support.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, runGu, tempDir } from '@gu/testkit';

afterEach(cleanUp);

const noStripping = { NODE_OPTIONS: '--no-experimental-strip-types' };
const worker = ['-k', join(import.meta.dirname, '../fixtures/e2e/minimal-worker.mjs'), '-b', '127.0.0.1:0'];

function project(files: Record<string, string>): string {
  const dir = tempDir('gu-ts-off-');
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return dir;
}

function stderrLines(stderr: string): string[] {
  return stderr.trimEnd().split('\n');
}

describe('TypeScript on a Node that does not strip types', () => {
  it('a .ts app: one line naming the file and what to change, exit 4 (app load)', async () => {
    const dir = project({ 'app.ts': "export const app = (req: unknown, res: { end(body: string): void }): void => res.end('ts');\n" });
    const result = await runGu(['app.ts:app', ...worker], { cwd: dir, env: noStripping });
    expect(result.code, result.stderr).toBe(4);
    const failures = stderrLines(result.stderr).filter((line) => line.includes('app.ts'));
    expect(failures.length).toBeGreaterThan(0);
    for (const line of failures) expect(line).toMatch(/Cannot load app "app\.ts:app": app\.ts is TypeScript, and this Node \(\S+\) runs with type stripping turned off .*; use a \.js file or drop that flag$/);
    expect(result.stderr).not.toMatch(/Unknown file extension|ERR_UNKNOWN_FILE_EXTENSION/);
  });

  it('a gu.config.ts: one line, exit 2, before anything binds', async () => {
    const dir = project({
      'gu.config.ts': "export default { app: 'app.js' } satisfies Record<string, string>;\n",
      'app.js': 'module.exports = (req, res) => res.end("js");\n',
    });
    const result = await runGu(['--check-config'], { cwd: dir, env: noStripping });
    expect(result.code, result.stderr).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([
      expect.stringMatching(/^gu: error: config file \S+gu\.config\.ts: gu\.config\.ts is TypeScript, and this Node .*; use a \.js file or drop that flag$/),
    ]);
  });
});
