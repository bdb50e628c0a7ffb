import { expect } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GuProcess } from '@gu/testkit';

const run = promisify(execFile);

/**
 * The environment of a user's shell: without the NODE_PATH that pnpm's bin shim gives vitest, which
 * reaches every package of the workspace (so `-k sync` would be found where the user has none). npm
 * is configured as a user's .npmrc could: the registry is real (express comes from it) and the
 * machine's npm cache serves what it holds without asking the registry again (prefer-offline), which
 * keeps a slow registry from holding a test for minutes; quiet.
 */
export const userEnv: NodeJS.ProcessEnv = {
  NODE_PATH: undefined,
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
};

/** Runs npm in `cwd` as a user would (see userEnv). */
export async function npm(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const options = { cwd, env: { ...process.env, ...userEnv, ...env }, timeout: 150_000 };
  try {
    return (await run('npm', args, options)).stdout;
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
