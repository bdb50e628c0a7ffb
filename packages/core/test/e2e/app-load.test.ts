import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const apps = join(import.meta.dirname, '../fixtures/apps');
const worker = ['-k', join(fixtures, 'minimal-worker.mjs'), '-b', '127.0.0.1:0'];

afterEach(cleanUp);

const failures = [
  { name: 'a module that throws on import', app: join(fixtures, 'broken-on-import.mjs'), message: /database URL is not set/ },
  { name: 'an export that is not there', app: `${join(fixtures, 'pid-app.mjs')}:nothing`, message: /nothing/ },
  { name: 'an export that is not a function', app: join(fixtures, 'not-a-function.mjs'), message: /not a request listener/ },
  {
    name: 'a syntax error, with its file, line and column',
    app: join(apps, 'syntax-error.mjs'),
    message: /threw SyntaxError: Unexpected token '\{' \(at \S+syntax-error\.mjs:1:35\)$/,
  },
];

/** Found wrong before anything is bound: one line, exit 4, no worker started. */
const earlyFailures = [
  { name: 'a missing file', app: join(fixtures, 'missing.mjs'), message: /file not found: .*missing\.mjs/ },
  { name: 'a malformed app spec', app: `${join(fixtures, 'pid-app.mjs')}:create(`, message: /"create\(" is not an export name/ },
  { name: 'a package that is not installed', app: 'no-such-package:app', message: /cannot find the package "no-such-package"/ },
];

describe('application loading', () => {
  it.each(earlyFailures)('stops with exit 4 before binding for $name', async ({ app, message }) => {
    const result = await runGu([app, ...worker, '-w', '3']);
    expect(result.code).toBe(4);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gu: error: Cannot load app /);
    expect(lines[0]).toMatch(message);
  });

  it('says that a directory with no entry point is a directory, and what is accepted', async () => {
    const result = await runGu(['.', ...worker], { cwd: apps });
    expect(result.code).toBe(4);
    expect(result.stderr.trim()).toBe(
      `gu: error: Cannot load app ".": ${apps} is a directory with no index.js and no package.json "main" to load (expected a file such as app.js, a package name, or MODULE:EXPORT, e.g. app.js:app)`,
    );
  });

  it.each(failures)('stops with exit 4 and one message for $name, without a respawn storm', async ({ app, message }) => {
    const result = await runGu([app, ...worker, '-w', '3']);
    expect(result.code).toBe(4);
    const reasons = result.stderr.split('\n').filter((line) => message.test(line));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/\[ERROR\]/);
    expect(result.stderr).toContain('Reason: App failed to load.');
    // At most the first generation was started: no worker was booted to replace a failed one.
    expect(result.stderr.match(/Booting worker with pid/g)?.length ?? 0).toBeLessThanOrEqual(3);
  });

  it('loads a factory with arguments, from a TypeScript file', async () => {
    const gu = await startGu([`${join(fixtures, 'factory-app.ts')}:createApp('hello', 2)`, ...worker]);
    const res = await httpGet(`${gu.url}/`);
    expect(res.body).toBe('hello hello');
  });

  it('looks the app up from --chdir', async () => {
    const gu = await startGu(['pid-app.mjs', '--chdir', fixtures, ...worker]);
    const res = await httpGet(`${gu.url}/`);
    expect(res.body).toBe(String(gu.workerPids[0]));
  });

  it('loads a CommonJS module.exports listener', async () => {
    const gu = await startGu([join(fixtures, 'cjs-app.cjs'), ...worker]);
    const res = await httpGet(`${gu.url}/`);
    expect(res.body).toBe('cjs');
  });
});

describe('worker boot failures', () => {
  it('stops with exit 3 and the reason once when the worker class fails before ready', async () => {
    const result = await runGu([join(fixtures, 'pid-app.mjs'), '-k', join(fixtures, 'fails-to-boot-worker.mjs'), '-b', '127.0.0.1:0', '-w', '2']);
    expect(result.code).toBe(3);
    // Once at error level; with --log-level debug the worker's stack trace may repeat it at DEBUG.
    const reasons = result.stderr.split('\n').filter((line) => line.includes('cannot open the shared memory segment'));
    expect(reasons.filter((line) => !line.includes('[DEBUG]'))).toEqual([expect.stringContaining('[ERROR] cannot open the shared memory segment')]);
    expect(result.stderr).toContain('Reason: Worker failed to boot.');
  });

  it('refuses settings a worker class rejects in checkConfig, before binding (exit 2)', async () => {
    const result = await runGu([join(fixtures, 'pid-app.mjs'), ...worker, '-w', '40']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gu: error: worker_class \(-k\) minimal refused the settings: minimal worker: at most 32 workers$/m);
    expect(result.stderr).not.toContain('Listening at');
  });
});
