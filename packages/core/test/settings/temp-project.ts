import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { loadSettings, type LoadResult } from '../../src/settings/load-settings.js';
import type { Settings } from '../../src/settings/types.js';

/** A throw-away project directory per test, removed after each test even when it fails. */
export function useTempProject(): { readonly dir: () => string; readonly write: (name: string, text: string) => string } {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const dir = (): string => {
    const current = dirs.at(-1);
    if (current !== undefined) return current;
    const created = mkdtempSync(join(tmpdir(), 'gu-settings-'));
    dirs.push(created);
    return created;
  };
  const write = (name: string, text: string): string => {
    const path = join(dir(), name);
    writeFileSync(path, text);
    return path;
  };
  return { dir, write };
}

/** loadSettings for a run; fails the test when it returns help or version instead. */
export async function resolveSettings(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Settings> {
  const result: LoadResult = await loadSettings({ argv, env, cwd });
  if (result.kind !== 'run') throw new Error(`expected settings, got ${result.kind}`);
  return result.settings;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome: unknown = await promise.then(
    () => new Error('expected a rejection, but it resolved'),
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error(`expected an Error, got ${String(outcome)}`);
  return outcome;
}
