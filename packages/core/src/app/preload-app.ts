import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AppLoadError } from '../errors.js';
import { workerExecArgv } from '../arbiter/worker-exec-argv.js';
import { appLoadFailure } from './app-load-failure.js';

const preloadEntry = fileURLToPath(new URL('./preload-main.js', import.meta.url));

/** What the preload process reports: the app loaded, or the one-line reason it did not. */
export type PreloadResult = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface PreloadOptions {
  readonly spec: string;
  readonly chdir: string;
  /** The environment the workers get (raw_env applied), so the app sees at preload what it will see there. */
  readonly env: NodeJS.ProcessEnv;
  /** `boot_timeout`: a preload that hangs (an import awaiting a server that never answers) is killed; 0 waits. */
  readonly timeoutSeconds: number;
}

function isPreloadResult(message: unknown): message is PreloadResult {
  return typeof message === 'object' && message !== null && typeof (message as { ok?: unknown }).ok === 'boolean';
}

function describeEnd(code: number | null, signal: NodeJS.Signals | null, timedOut: boolean, timeoutSeconds: number): string {
  if (timedOut) return `not loaded within boot_timeout (${timeoutSeconds} s)`;
  return signal ? `the process loading it was killed by ${signal}` : `the process loading it exited with code ${code ?? 'unknown'}`;
}

/**
 * `preload_app`: loads the app once, in a process of its own forked with the workers' options,
 * before gu binds or forks (and again on each HUP). Resolves when it loaded; rejects with the same
 * one-line AppLoadError a worker would report (exit 4), so a broken app fails once, not per worker.
 */
export function preloadApp(options: PreloadOptions): Promise<void> {
  const { spec, chdir, env, timeoutSeconds } = options;
  return new Promise((resolve, reject) => {
    let result: PreloadResult | undefined;
    let timedOut = false;
    const child = fork(preloadEntry, [spec, chdir], {
      cwd: chdir,
      env,
      execArgv: workerExecArgv(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    const timer = timeoutSeconds > 0 ? setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000) : undefined;
    child.on('message', (message: unknown) => {
      if (isPreloadResult(message)) result ??= message;
    });
    child.once('error', (error) => {
      reject(appLoadFailure(spec, `cannot start the process to load it: ${error.message}`, error));
    });
    // 'close' comes after the IPC channel is drained: the result, if any was sent, is in.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (result?.ok === true && code === 0) resolve();
      else if (result?.ok === false) reject(new AppLoadError(result.message));
      else reject(appLoadFailure(spec, describeEnd(code, signal, timedOut, timeoutSeconds)));
    });
  });
}
