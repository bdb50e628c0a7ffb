import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** A fresh temporary folder for each test of the calling suite, removed afterwards. */
export function useTempDir(): { readonly path: string } {
  const current = { path: '' };
  beforeEach(async () => {
    current.path = await mkdtemp(join(tmpdir(), 'gu-logging-'));
  });
  afterEach(async () => {
    await rm(current.path, { recursive: true, force: true });
  });
  return current;
}

export { join };
