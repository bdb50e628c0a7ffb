import { expect } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GuProcess } from '@gu/testkit';

const run = promisify(execFile);

/**
 * The environment of a user's shell: without the NODE_PATH that pnpm's bin shim gives vitest, which
 * reaches every package of the workspace (so `-k sync` would be found where the user has none).
 */
export const userEnv: NodeJS.ProcessEnv = { NODE_PATH: undefined };

/**
 * Runs npm as a user would, quieter: the registry is real (express comes from it), the machine's npm
 * cache makes a second run fast. `--prefer-offline` reuses what the cache holds without asking the
 * registry again; a package missing from it is still fetched.
 */
export async function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const quiet = ['--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  const options = { cwd, env: { ...process.env, ...userEnv, npm_config_update_notifier: 'false', ...env }, timeout: 150_000 };
  try {
    return (await run('npm', [...args, ...quiet], options)).stdout;
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}:\n${stderr}`, { cause: error });
  }
}

/** A fresh project as `npm init -y` writes it (package.json "type": "commonjs" with npm ≥ 11), with these files. */
export async function freshProject(dir: string, files: Record<string, string> = {}): Promise<string> {
  await npm(['init', '-y'], dir);
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  return dir;
}

/** TERM to the arbiter (not to an npx or sh in front of it): a graceful stop, exit 0. */
export async function stopGracefully(gu: GuProcess): Promise<void> {
  process.kill(gu.arbiterPids[0]!, 'SIGTERM');
  expect((await gu.exited).code).toBe(0);
}
