import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, tempDir } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');

afterEach(cleanUp);

/** A user's project with a third-party worker class installed as a package in node_modules. */
function projectWithWorkerPackage(name: string): string {
  const project = tempDir('gu-project-');
  const pkg = join(project, 'node_modules', ...name.split('/'));
  mkdirSync(pkg, { recursive: true });
  // ESM-only, as most new packages are: require.resolve cannot see an import-only exports map.
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name, type: 'module', exports: { '.': { import: './index.mjs' } } }));
  copyFileSync(join(fixtures, 'minimal-worker.mjs'), join(pkg, 'index.mjs'));
  copyFileSync(join(fixtures, 'pid-app.mjs'), join(project, 'app.mjs'));
  return project;
}

describe('-k resolution', () => {
  it('loads a worker class by package name (ESM-only) from the user project', async () => {
    const project = projectWithWorkerPackage('@acme/gu-worker');
    const gu = await startGu(['app.mjs', '-k', '@acme/gu-worker', '-b', '127.0.0.1:0'], { cwd: project });
    expect(gu.stderr).toContain('Using worker: @acme/gu-worker');
    const res = await httpGet(`${gu.url}/`);
    expect(res.headers['x-worker-class']).toBe('minimal');
  });
});
