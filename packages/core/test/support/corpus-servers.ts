// Servers running the request corpus's echo app (fixtures/corpus/echo-app.mjs, or asgi-echo-app.mjs
// under -k asgi): a real gu with given flags, and a bare node:http server (what gu answered before its
// own checks). Each reports what the app saw over the app's side channel, which gu's request limits
// do not apply to.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startGu, tempDir } from '@gu/testkit';
import { until } from '../e2e/processes.js';
import { corpusDir, type CorpusTarget } from './request-corpus.js';

const app = join(corpusDir, 'echo-app.mjs');
/** The same app written to ASGI, for the asgi worker class. */
export const asgiEchoApp = join(corpusDir, 'asgi-echo-app.mjs');
// GU_CORPUS_WORKER runs the corpus under another worker class (a path, as `-k` takes it), e.g.
// packages/worker-threads/dist/index.js; its thread count is set to one, so one app sees every case.
const worker = process.env.GU_CORPUS_WORKER ?? join(import.meta.dirname, '../fixtures/e2e/minimal-worker.mjs');

/** Waits for the echo app to write its side channel's port to `file`. */
async function controlPortIn(file: string): Promise<number> {
  await until(() => existsSync(file) && readFileSync(file, 'utf8') !== '', `the corpus app's control port in ${file}`);
  return Number(readFileSync(file, 'utf8'));
}

/**
 * The sync worker class, built: the corpus also runs under `-k sync`. @gu/core cannot depend on
 * @gu/worker-sync (which depends on it), so the test takes its build output by path.
 */
export const syncWorker = join(import.meta.dirname, '../../../worker-sync/dist/index.js');
/** The threads worker class, built, likewise; its one thread serves every case (`--threads 1`). */
export const threadsWorker = join(import.meta.dirname, '../../../worker-threads/dist/index.js');
/** The asgi worker class (@gu/asgi-bridge), built, likewise; it serves asgiEchoApp. */
export const asgiWorker = join(import.meta.dirname, '../../../asgi-bridge/dist/index.js');

/** A gu server (one worker of `workerClass`, a path for `-k`, serving `echoApp`) with `flags`; testkit's cleanUp stops it. */
export async function startCorpusGu(flags: readonly string[], workerClass = worker, echoApp = app): Promise<CorpusTarget> {
  if (!existsSync(workerClass)) throw new Error(`${workerClass} is missing: build it first (pnpm --filter @gu/worker-sync --filter @gu/worker-threads --filter @gu/asgi-bridge build)`);
  const control = join(tempDir('gu-corpus-'), 'control-port');
  const gu = await startGu([echoApp, '-k', workerClass, '-b', '127.0.0.1:0', '-w', '1', '--threads', '1', ...flags], { env: { GU_CORPUS_CONTROL: control } });
  return { port: Number(new URL(gu.url).port), controlPort: await controlPortIn(control) };
}

/** A bare node:http server with the echo app; `stop` kills it. */
export async function startBareNode(): Promise<CorpusTarget & { stop(): void }> {
  const script = `import http from 'node:http'; const { default: app } = await import(${JSON.stringify(pathToFileURL(app).href)});
    const server = http.createServer(app).listen(0, '127.0.0.1', () => console.log(server.address().port));`;
  const control = join(tempDir('gu-corpus-'), 'control-port');
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, GU_CORPUS_CONTROL: control },
  });
  const stop = (): void => void child.kill();
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.once('data', (chunk: Buffer) => { resolve(Number(chunk.toString().trim())); });
      child.once('exit', (code) => { reject(new Error(`bare node:http server exited (${code})`)); });
    });
    return { port, controlPort: await controlPortIn(control), stop };
  } catch (error) {
    stop();
    throw error;
  }
}
