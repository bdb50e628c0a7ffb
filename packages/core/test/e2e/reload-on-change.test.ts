// --reload: editing a file the workers loaded (or one of reload_extra_files) reloads them, as HUP
// does: no request fails, and a file that no longer loads keeps the old workers serving.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, startLoad, tempDir } from '@gu/testkit';
import { moreRequests, until } from './processes.js';

const minimalWorker = join(import.meta.dirname, '../fixtures/e2e/minimal-worker.mjs');

afterEach(cleanUp);

/** An app whose answer (`MESSAGE PID`) comes from a module it imports, in the style of `kind`. */
function project(kind: 'esm' | 'ts' | 'cjs'): { dir: string; entry: string; setMessage: (text: string) => void } {
  const dir = tempDir('gu-reload-');
  const files = {
    esm: { entry: 'app.mjs', helper: 'message.mjs', app: "import { message } from './message.mjs';", body: (m: string) => `export const message = ${JSON.stringify(m)};\n` },
    ts: { entry: 'app.mjs', helper: 'message.ts', app: "import { message } from './message.ts';", body: (m: string) => `export const message: string = ${JSON.stringify(m)};\n` },
    cjs: { entry: 'app.cjs', helper: 'message.cjs', app: "const { message } = require('./message.cjs');", body: (m: string) => `exports.message = ${JSON.stringify(m)};\n` },
  }[kind];
  const handler = '(req, res) => res.end(`${message} ${process.pid}`)';
  const exporter = kind === 'cjs' ? `module.exports = ${handler};` : `export default ${handler};`;
  writeFileSync(join(dir, files.entry), `${files.app}\n${exporter}\n`);
  const setMessage = (text: string): void => writeFileSync(join(dir, files.helper), files.body(text));
  setMessage('v1');
  return { dir, entry: files.entry, setMessage };
}

const messageOf = (body: string): string => body.split(' ')[0] ?? '';

describe('--reload', () => {
  for (const kind of ['esm', 'ts', 'cjs'] as const) {
    it(`reloads when a loaded ${kind} module changes, losing no request`, async () => {
      const { dir, entry, setMessage } = project(kind);
      const gu = await startGu([entry, '--reload', '-w', '2', '-b', '127.0.0.1:0', '-k', minimalWorker], { cwd: dir, workers: 2 });
      const load = startLoad({ url: `${gu.url}/`, keepAliveClients: 2, freshClients: 2, maxRequests: 100_000, maxDurationMs: 30_000 });
      await moreRequests(load, 100);
      setMessage('v2');
      await gu.waitForLog(/Reloading: \S+message\.\w+ changed/);
      await gu.waitForLog(/Reload done: generation 2 is serving/);
      await gu.waitForLog(/Worker exiting \(pid: \d+\)/, 2);
      await moreRequests(load, 100);
      const report = await load.stop();
      expect(report.failures).toEqual({});
      expect(new Set([...report.bodies.keys()].map(messageOf))).toEqual(new Set(['v1', 'v2']));
      const after = await httpGet(`${gu.url}/`);
      expect(messageOf(after.body)).toBe('v2');
      expect(gu.workerPids.slice(0, 2)).not.toContain(Number(after.body.split(' ')[1]));
    }, 45_000);
  }

  it('keeps the old workers serving when the edited file has a syntax error, then reloads once fixed', async () => {
    const { dir, entry, setMessage } = project('esm');
    const gu = await startGu([entry, '--reload', '-b', '127.0.0.1:0', '-k', minimalWorker], { cwd: dir });
    writeFileSync(join(dir, 'message.mjs'), 'export const message = ;\n');
    await gu.waitForLog(/Reload failed: generation 2 could not boot/);
    expect(gu.matches(/\[ERROR\]/)).toHaveLength(1);
    expect(messageOf((await httpGet(`${gu.url}/`)).body)).toBe('v1');
    setMessage('v3');
    await gu.waitForLog(/Reload done: generation 3 is serving/);
    await until(() => gu.matches(/Worker exiting/).length === 1, 'the old worker to leave');
    expect(messageOf((await httpGet(`${gu.url}/`)).body)).toBe('v3');
  }, 30_000);

  it('reloads when a file matched by --reload-extra-file changes', async () => {
    const { dir, entry } = project('esm');
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf', 'site.json'), '{}\n');
    const gu = await startGu([entry, '--reload', '--reload-extra-file', 'conf/*.json', '-b', '127.0.0.1:0', '-k', minimalWorker], { cwd: dir });
    writeFileSync(join(dir, 'conf', 'site.json'), '{ "theme": "dark" }\n');
    await gu.waitForLog(/Reloading: \S+site\.json changed/);
    await gu.waitForLog(/Reload done: generation 2 is serving/);
  });
});
