import type { Settings } from '../settings/types.js';
import type { CompileCache } from './compile-cache.js';

/** The environment a worker (or the preload process) is started with, under the given settings. */
export type WorkerEnv = (settings: Settings) => NodeJS.ProcessEnv;

/** `raw_env` items as variables: the name is before the first `=`, the value all after it. */
export function rawEnvVariables(rawEnv: readonly string[]): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const item of rawEnv) {
    const equals = item.indexOf('=');
    variables[item.slice(0, equals)] = item.slice(equals + 1);
  }
  return variables;
}

/**
 * gu's own environment as it is when the process is forked, the run's compile cache, then
 * `raw_env`, which wins. Built at each fork, so that a reload (HUP) applies a changed `raw_env`;
 * gu's own environment is never changed, so a variable removed from `raw_env` is gone after a reload.
 */
export function workerEnvWith(cache: CompileCache | null): WorkerEnv {
  return (settings) => ({ ...process.env, ...cache?.env, ...rawEnvVariables(settings.rawEnv) });
}
