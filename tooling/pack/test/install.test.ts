import { afterEach, describe, expect, inject, it } from 'vitest';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, httpGet, runGu, startGu, tempDir } from '@gu/testkit';
import { tarballName } from '@gu/pack';
import { freshProject, npm, stopGracefully, userEnv } from './user-project.js';

afterEach(cleanUp);

const tarballs = inject('tarballs');
const tarball = (name: string): string => join(tarballs, tarballName(name));

/** Answers with the id of the thread that ran it: 0 would mean the main thread. */
const threadId = "require('node:worker_threads').threadId";

/** One line, exit 2, ending with the command that installs @gu/worker-sync where this gu finds it. */
function expectInstallHint(result: { code: number | null; stderr: string }, command: string): void {
  expect(result.code, result.stderr).toBe(2);
  const [line, ...rest] = result.stderr.trimEnd().split('\n');
  expect(rest).toEqual([]);
  expect(line).toMatch(/^gu: error: worker_class \(-k\): worker class "sync" is not installed .*; install it with: /);
  expect(line?.endsWith(`; install it with: ${command}`), line).toBe(true);
}

describe('installed from the tarballs with npm, as a user would', () => {
  it('in a fresh project with @gu/core, @gu/worker-threads and express: serves the Express app in threads; -k sync says what to install', async () => {
    const app = [
      "const express = require('express');",
      'const app = express();',
      `app.get('/', (req, res) => res.send(\`hello from express in thread \${${threadId}}\`));`,
      'module.exports = { app };',
    ].join('\n');
    const project = await freshProject(tempDir('gu-project-'), { 'app.js': app });
    await npm(['install', tarball('@gu/core'), tarball('@gu/worker-threads'), 'express'], project);

    const gu = await startGu(['app.js:app', '-k', '@gu/worker-threads', '-b', '127.0.0.1:0'], { cwd: project, command: ['npx', 'gu'], env: userEnv });
    const response = await httpGet(gu.url);
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/^hello from express in thread [1-9]\d*$/);
    await stopGracefully(gu);

    expectInstallHint(await runGu(['app.js:app', '-k', 'sync', '-b', '127.0.0.1:0'], { cwd: project, command: ['npx', 'gu'], env: userEnv }), 'npm install @gu/worker-sync');
  });

  it('@gu/worker-sync beside @gu/core, as its README says: npx gu app.js -k sync (or -k @gu/worker-sync) answers with Connection: close', async () => {
    const app = 'module.exports = (req, res) => res.end(`hello from ${process.pid}`);\n';
    const project = await freshProject(tempDir('gu-project-'), { 'app.js': app });
    await npm(['install', tarball('@gu/core'), tarball('@gu/worker-sync')], project);
    for (const workerClass of ['sync', '@gu/worker-sync']) {
      const gu = await startGu(['app.js', '-k', workerClass, '-w', '2', '-b', '127.0.0.1:0'], { cwd: project, command: ['npx', 'gu'], env: userEnv, workers: 2 });
      expect(gu.stderr).toContain(`Using worker: ${workerClass}`);
      const response = await httpGet(gu.url, { headers: { connection: 'keep-alive' } });
      expect(response).toMatchObject({ status: 200, body: expect.stringMatching(/^hello from \d+$/) as unknown });
      expect(response.headers.connection).toBe('close');
      await stopGracefully(gu);
    }
  });

  it('globally (npm i -g into a prefix): gu finds the worker class installed beside it, for a project that installed nothing', async () => {
    const prefix = tempDir('gu-global-');
    await npm(['install', '--global', '--prefix', prefix, tarball('@gu/core'), tarball('@gu/worker-threads')], prefix);
    const app = `exports.app = (req, res) => res.end(\`hello from thread \${${threadId}}\`);\n`;
    const project = await freshProject(tempDir('gu-project-'), { 'app.js': app });
    const gu = join(prefix, 'bin', 'gu');

    const server = await startGu(['app.js:app', '-k', 'threads', '-b', '127.0.0.1:0'], { cwd: project, command: [gu], env: userEnv });
    expect(server.stderr).toMatch(/Using worker: threads/);
    const response = await httpGet(server.url);
    expect(response).toMatchObject({ status: 200, body: expect.stringMatching(/^hello from thread [1-9]\d*$/) as unknown });
    await stopGracefully(server);

    // Installed beside the global gu, which a bare `npm install` in the project would not reach;
    // this prefix is not the running Node's, so the command names it.
    const global = `npm install -g --prefix ${realpathSync(prefix)} @gu/worker-sync`;
    expectInstallHint(await runGu(['app.js:app', '-k', 'sync', '-b', '127.0.0.1:0'], { cwd: project, command: [gu], env: userEnv }), global);
  });
});
