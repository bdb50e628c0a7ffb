import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { mapJsToTsHooks } from '../support/ts-sources.js';

/**
 * Vitest runs `import()` through Vite, which loads TypeScript and CommonJS its own way. These cases
 * run the loader in a plain Node process instead, as a worker runs it: Node's own ESM loader, its
 * CommonJS interop and its type stripping. The source is loaded as it is, with a resolve hook that
 * maps the `.js` of relative imports to the `.ts` file beside it.
 */
const runInNode = `
import { registerHooks } from 'node:module';
registerHooks(${mapJsToTsHooks});
const { loadApp } = await import(process.env.GU_LOADER_URL);
const results = {};
for (const spec of JSON.parse(process.env.GU_SPECS)) {
  try {
    let body;
    (await loadApp(spec, process.env.GU_CWD))({}, { end: (chunk) => { body = chunk; } });
    results[spec] = { body };
  } catch (error) {
    results[spec] = { error: error.message, code: error.code };
  }
}
process.stdout.write(JSON.stringify(results));
`;

interface Outcome {
  readonly body?: string;
  readonly error?: string;
  readonly code?: string;
}

const appsDir = join(import.meta.dirname, '..', 'fixtures', 'apps');
const loaderUrl = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'app', 'load-app.ts')).href;

const specs = [
  'esm-app.mjs',
  'esm-app.mjs:nested.inner.app',
  'esm-app.mjs:createAsync(\'x\', 1)',
  'cjs-function.cjs',
  'cjs-object.cjs:app',
  'cjs-object.cjs:hidden',
  'typed-app.ts',
  'plain-script.js',
  'syntax-error.mjs',
  'syntax-error.cjs',
  'imports-syntax-error.mjs',
  'throws-syntax-error.mjs',
  'throws-on-import.mjs',
] as const;

describe('loadApp in a plain Node process', () => {
  let outcomes: Record<string, Outcome>;

  beforeAll(async () => {
    // execFile's timeout kills the child if it hangs, so no process outlives the test.
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '--no-warnings', '-e', runInNode], {
      env: { ...process.env, GU_LOADER_URL: loaderUrl, GU_SPECS: JSON.stringify(specs), GU_CWD: appsDir },
      timeout: 15_000,
    });
    outcomes = JSON.parse(stdout) as Record<string, Outcome>;
  });

  it.each([
    ['esm-app.mjs', 'esm default'],
    ['esm-app.mjs:nested.inner.app', 'esm nested'],
    ['esm-app.mjs:createAsync(\'x\', 1)', 'async factory ["x",1]'],
    ['cjs-function.cjs', 'cjs module.exports'],
    ['cjs-object.cjs:app', 'cjs named'],
    ['cjs-object.cjs:hidden', 'cjs hidden'],
    ['typed-app.ts', 'typescript default'],
    ['plain-script.js', 'plain js'],
  ])('loads %s', (spec, body) => {
    expect(outcomes[spec]).toEqual({ body });
  });

  it('reports a syntax error in one line with the spec', () => {
    const outcome = outcomes['syntax-error.mjs'];
    expect(outcome?.code).toBe('GU_ERR_APP_LOAD');
    expect(outcome?.error).toMatch(/^Cannot load app "syntax-error\.mjs": importing \S+syntax-error\.mjs threw SyntaxError: /);
    expect(outcome?.error).not.toContain('\n');
  });

  // Node keeps an ES module's parse error location out of the error; gu finds it with node --check.
  it.each([
    ['syntax-error.mjs', `(at ${join(appsDir, 'syntax-error.mjs')}:1:35)`],
    ['syntax-error.cjs', `(at ${join(appsDir, 'syntax-error.cjs')}:2:40)`],
  ])('names the file, line and column of a syntax error in %s', (spec, location) => {
    expect(outcomes[spec]?.error).toMatch(/ threw SyntaxError: Unexpected token '\{' \(at /);
    expect(outcomes[spec]?.error?.endsWith(location)).toBe(true);
  });

  it('says a syntax error is in an imported module when the app file itself parses', () => {
    const file = join(appsDir, 'imports-syntax-error.mjs');
    expect(outcomes['imports-syntax-error.mjs']?.error).toBe(
      `Cannot load app "imports-syntax-error.mjs": importing ${file} threw SyntaxError: Unexpected token '{' (in a module ${file} imports; Node does not say which)`,
    );
  });

  it('adds no location to a SyntaxError the app threw itself', () => {
    expect(outcomes['throws-syntax-error.mjs']?.error).toMatch(/threw SyntaxError: [^(]+\(line 1 column 2\)$/);
  });

  it('reports what the module threw on import', () => {
    expect(outcomes['throws-on-import.mjs']?.error).toBe(
      `Cannot load app "throws-on-import.mjs": importing ${join(appsDir, 'throws-on-import.mjs')} threw Error: database url missing`,
    );
  });
});
