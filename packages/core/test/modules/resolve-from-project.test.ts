import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFromProject } from '../../src/modules/resolve-from-project.js';

const projects: string[] = [];
afterEach(() => {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project with one installed package, `manifest` its package.json and `files` its contents. */
function projectWith(name: string, manifest: object, files: Record<string, string>): string {
  const project = mkdtempSync(join(tmpdir(), 'gu-resolve-'));
  projects.push(project);
  const dir = join(project, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, ...manifest }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return project;
}

describe('resolveFromProject', () => {
  it('resolves a CommonJS-compatible package as require.resolve does', () => {
    const project = projectWith('plain', { main: 'lib/main.js' }, { 'lib/main.js': '' });
    expect(resolveFromProject('plain', project)).toBe(join(project, 'node_modules/plain/lib/main.js'));
  });

  it('resolves an ESM-only package whose exports name only an import condition', () => {
    const project = projectWith(
      '@acme/esm-only',
      { type: 'module', exports: { '.': { types: './index.d.ts', import: './dist/index.js' }, './worker': { import: './dist/worker.js' } } },
      { 'dist/index.js': '', 'dist/worker.js': '' },
    );
    expect(resolveFromProject('@acme/esm-only', project)).toBe(join(project, 'node_modules/@acme/esm-only/dist/index.js'));
    expect(resolveFromProject('@acme/esm-only/worker', project)).toBe(join(project, 'node_modules/@acme/esm-only/dist/worker.js'));
  });

  it('finds the package from a subdirectory of the project, with a conditions object at the top', () => {
    const project = projectWith('esm-top', { exports: { node: { import: './node.mjs' } } }, { 'node.mjs': '' });
    const sub = join(project, 'src', 'app');
    mkdirSync(sub, { recursive: true });
    expect(resolveFromProject('esm-top', sub)).toBe(join(project, 'node_modules/esm-top/node.mjs'));
  });

  it('throws MODULE_NOT_FOUND for a package that is not installed', () => {
    const project = mkdtempSync(join(tmpdir(), 'gu-resolve-'));
    projects.push(project);
    expect(() => resolveFromProject('not-installed', project)).toThrow(expect.objectContaining({ code: 'MODULE_NOT_FOUND' }));
  });

  it('keeps require.resolve\'s error for a subpath the package does not export', () => {
    const project = projectWith('closed', { exports: { '.': { import: './index.js' } } }, { 'index.js': '' });
    expect(() => resolveFromProject('closed/secret', project)).toThrow(expect.objectContaining({ code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }));
  });
});
