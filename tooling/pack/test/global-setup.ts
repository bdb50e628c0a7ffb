import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder `tooling/run pack` packed every publishable package into. */
    tarballs: string;
    /** What it printed. */
    packOutput: string;
  }
}

/** Runs the pack script as `tooling/run pack DIR` does after its build (turbo built the packages already). */
export default function setup(project: TestProject): () => void {
  const tarballs = mkdtempSync(join(tmpdir(), 'gu-tarballs-'));
  const script = join(import.meta.dirname, '../scripts/pack.ts');
  const packOutput = execFileSync(process.execPath, [script, tarballs], { encoding: 'utf8', timeout: 120_000 });
  project.provide('tarballs', tarballs);
  project.provide('packOutput', packOutput);
  return () => rmSync(tarballs, { recursive: true, force: true });
}
