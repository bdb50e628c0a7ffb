import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadApp } from '../../src/app/load-app.js';
import { AppLoadError } from '../../src/errors.js';
import { respond } from './respond.js';

const appsDir = join(import.meta.dirname, '..', 'fixtures', 'apps');

async function loadError(spec: string, cwd = appsDir): Promise<AppLoadError> {
  const error: unknown = await loadApp(spec, cwd).then(
    () => new Error(`${spec} loaded`),
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof AppLoadError)) throw new Error(`expected an AppLoadError, got ${String(error)}`);
  expect(error.code).toBe('GU_ERR_APP_LOAD');
  expect(error.message).not.toContain('\n');
  expect(error.message).toContain(`"${spec}"`);
  return error;
}

describe('loadApp', () => {
  it.each([
    ['esm-app.mjs', 'esm default'],
    ['./esm-app.mjs:app', 'esm named'],
    ['esm-app.mjs:default', 'esm default'],
    ['esm-app.mjs:nested.inner.app', 'esm nested'],
    ['cjs-function.cjs', 'cjs module.exports'],
    ['cjs-object.cjs:app', 'cjs named'],
    ['cjs-object.cjs:hidden', 'cjs hidden'],
    ['typed-app.ts', 'typescript default'],
    ['plain-script.js', 'plain js'],
  ])('loads %s', async (spec, body) => {
    expect(respond(await loadApp(spec, appsDir))).toBe(body);
  });

  it('loads an absolute path whatever the cwd', async () => {
    expect(respond(await loadApp(`${join(appsDir, 'esm-app.mjs')}:app`, tmpdir()))).toBe('esm named');
  });

  it('calls a sync factory with its literal arguments', async () => {
    const app = await loadApp(`esm-app.mjs:create('a', 2, true, null, {"k": [1]})`, appsDir);
    expect(respond(app)).toBe('sync factory ["a",2,true,null,{"k":[1]}]');
  });

  it('awaits an async factory', async () => {
    expect(respond(await loadApp('esm-app.mjs:createAsync("x")', appsDir))).toBe('async factory ["x"]');
  });

  it('returns a non-listener export as it is (toRequestListener judges it)', async () => {
    expect(await loadApp('esm-app.mjs:notAFunction', appsDir)).toBe(42);
  });
});

describe('loadApp failures', () => {
  it('names the resolved path of a missing file', async () => {
    const error = await loadError('missing.js:app');
    expect(error.message).toContain(`file not found: ${join(appsDir, 'missing.js')}`);
  });

  it('includes what the module threw on import and keeps it as cause', async () => {
    const error = await loadError('throws-on-import.mjs');
    expect(error.message).toContain('Error: database url missing');
    expect((error.cause as Error).message).toBe('database url missing');
  });

  it('lists the exports there are when the named one is missing', async () => {
    const error = await loadError('no-default.mjs:third');
    expect(error.message).toContain('has no export "third" (its exports: first, second)');
  });

  it('lists the exports there are when there is no default export', async () => {
    const error = await loadError('no-default.mjs');
    expect(error.message).toContain('has no default export (its exports: first, second)');
  });

  it('names the part of a dotted path that is missing', async () => {
    const error = await loadError('esm-app.mjs:nested.outer.app');
    expect(error.message).toContain('"nested" has no property "outer" (it is an object with keys inner)');
  });

  it('refuses to call what is not a function', async () => {
    const error = await loadError('esm-app.mjs:notAFunction()');
    expect(error.message).toContain('"notAFunction" is the number 42, not a function to call');
  });

  it.each([
    ['esm-app.mjs:failingFactory()', 'the factory failingFactory() threw Error: factory refused to build'],
    ['esm-app.mjs:rejectingFactory()', 'the factory rejectingFactory() threw TypeError: async factory refused'],
  ])('reports the factory %s that throws', async (spec, reason) => {
    const error = await loadError(spec);
    expect(error.message).toContain(reason);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('rejects a bad spec before importing anything', async () => {
    const error = await loadError('esm-app.mjs:create(process.exit(1))');
    expect(error.message).toContain('are not JSON-like literals');
  });
});

describe('loadApp from a package name', () => {
  let project: string;

  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'gu-load-app-'));
    const packageDir = join(project, 'node_modules', 'fixture-app-package');
    await mkdir(packageDir, { recursive: true });
    await writeFile(join(packageDir, 'package.json'), JSON.stringify({ name: 'fixture-app-package', main: 'main.cjs' }));
    await writeFile(join(packageDir, 'main.cjs'), "exports.app = (req, res) => res.end('from a package');\n");
    await writeFile(join(project, 'server.js'), 'module.exports = () => {};\n');
  });

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('resolves a bare name from the cwd', async () => {
    expect(respond(await loadApp('fixture-app-package:app', project))).toBe('from a package');
  });

  it('names the package and the cwd when it is not installed', async () => {
    const error = await loadError('not-installed-anywhere:app', project);
    expect(error.message).toContain(`cannot find the package "not-installed-anywhere" from ${project}`);
  });

  it('hints at ./file when a bare name matches a script in the cwd', async () => {
    const error = await loadError('server', project);
    expect(error.message).toContain('write ./server.js');
  });

  it('refuses a Node built-in module', async () => {
    const error = await loadError('http', project);
    expect(error.message).toContain('"http" is a Node built-in module');
  });
});
