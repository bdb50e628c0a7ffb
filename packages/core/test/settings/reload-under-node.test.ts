import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempProject } from './temp-project.js';

const project = useTempProject();
const built = new URL('../../dist/settings/load-settings.js', import.meta.url);

/**
 * Vitest loads modules its own way (no require cache), so a reload is checked here under plain
 * Node, against the build that `turbo test` makes first.
 */
const script = `
  import { writeFileSync } from 'node:fs';
  const { loadSettings } = await import(process.env.GU_BUILT);
  const [dir, name, template] = process.argv.slice(1);
  const workers = [];
  for (const count of [2, 5]) {
    writeFileSync(dir + '/' + name, template.replace('N', String(count)));
    const result = await loadSettings({ argv: [], env: {}, cwd: dir });
    workers.push(result.settings.workers);
  }
  console.log(JSON.stringify(workers));
`;

describe('reloading the config file under plain Node', () => {
  it.each([
    ['gu.config.js', 'module.exports = { workers: N };'],
    ['gu.config.mjs', 'export default { workers: N };'],
    ['gu.config.ts', 'const workers: number = N;\nexport default { workers };'],
  ])('re-imports an edited %s', async (name, template) => {
    expect(existsSync(built), 'dist/ is missing: run `pnpm --filter @gu/core build` first').toBe(true);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '--eval', script, project.dir(), name, template],
      { env: { ...process.env, GU_BUILT: built.href }, timeout: 15_000 },
    );
    expect(JSON.parse(stdout)).toEqual([2, 5]);
  });
});
