// deploy/docker/: docker cannot build or run here (no daemon), so the test reads the Dockerfile,
// checks its structure, and runs its runtime stage's ENTRYPOINT + CMD, ENV and WORKDIR as a
// container would: in a new pid namespace where gu is PID 1 (unshare, as root), as the image's
// unprivileged user, with the app of the tests in place of /app and a loopback bind in GU_CMD_ARGS
// (the image binds 0.0.0.0:$PORT). Then `docker stop`'s SIGTERM during a slow request.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GuProcess, childPids, cleanUp, httpGet, stopOnCleanUp, until } from '@gu/testkit';
import { envOf, execForm, last, readDockerfile, type Stage } from './support/dockerfile.js';
import { appDir, recipe } from './support/recipes.js';

const UNSHARE = '/usr/bin/unshare';
const DOCKER_STOP_TIMEOUT_S = 10;
const stages = readDockerfile(recipe('docker', 'Dockerfile'));
const runtime = stages.at(-1) as Stage;
const binDir = join(import.meta.dirname, '../node_modules/.bin');

/** Whether this process may make a pid namespace (root, and a kernel that lets it). */
const canUnshare = spawnSync(UNSHARE, ['--pid', '--fork', '--mount-proc', '/bin/true']).status === 0;

/** The image's user as a number: `node` is uid and gid 1000 in the node images. */
function imageUser(): number {
  const user = last(runtime, 'USER') ?? 'root';
  const known: Record<string, number> = { node: 1000 };
  const uid = /^\d+$/.test(user) ? Number(user) : known[user];
  if (uid === undefined) throw new Error(`USER ${user}: the test knows no uid for it`);
  return uid;
}

/** The container's environment: the runtime stage's ENV with /app swapped for the test's app. */
function containerEnv(): Record<string, string> {
  const env = envOf(runtime, { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` });
  env.PATH = (env.PATH ?? '').replace('/app/node_modules/.bin', binDir);
  return { ...env, GU_CMD_ARGS: '--bind 127.0.0.1:0 --log-level debug' };
}

/**
 * Starts the image's command like `docker run`: PID 1 of a new pid namespace when possible. Returns
 * gu's output and the host pid of PID 1, the process `docker stop` signals.
 */
async function runContainer(): Promise<{ gu: GuProcess; pid1: number }> {
  const argv = [...execForm(last(runtime, 'ENTRYPOINT'), 'ENTRYPOINT'), ...execForm(last(runtime, 'CMD'), 'CMD')];
  const uid = imageUser();
  const [command = '', ...args] = canUnshare
    ? [UNSHARE, '--pid', '--fork', '--mount-proc', '--kill-child', '--setuid', String(uid), '--setgid', String(uid), ...argv]
    : argv;
  const child = spawn(command, args, { cwd: appDir, env: containerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const gu = new GuProcess(child);
  // Not startGu's cleanup: the pids gu logs are the namespace's, not this host's.
  stopOnCleanUp(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await gu.exited;
  });
  await gu.waitForLog(/Worker \(pid:\d+\) ready/, Number(containerEnv().WEB_CONCURRENCY ?? 1));
  let pid1 = child.pid ?? 0;
  if (canUnshare) {
    await until(() => childPids(pid1).length === 1, 'the namespace\'s PID 1');
    pid1 = childPids(pid1)[0] ?? 0;
  }
  return { gu, pid1 };
}

/** Zombie (exited, not reaped) children of `pid`. */
function zombiesOf(pid: number): number[] {
  return childPids(pid).filter((child) => {
    try {
      return readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true;
    } catch {
      return false;
    }
  });
}

afterEach(cleanUp);

describe('deploy/docker/Dockerfile', () => {
  it('is multi-stage, runs as a non-root user, gu as an exec-form ENTRYPOINT, no HEALTHCHECK', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.instructions.some((i) => i.keyword === 'COPY' && i.args.startsWith(`--from=${stages[0]?.name ?? ''} `))).toBe(true);
    expect(runtime.from).toMatch(/-slim$/);
    expect(last(runtime, 'USER')).toBeDefined();
    expect(imageUser()).not.toBe(0);
    expect(execForm(last(runtime, 'ENTRYPOINT'), 'ENTRYPOINT')).toEqual(['gu']);
    execForm(last(runtime, 'CMD'), 'CMD');
    // Kubernetes ignores HEALTHCHECK; its probes are in deploy/kubernetes (see the README).
    expect(runtime.instructions.filter((i) => i.keyword === 'HEALTHCHECK')).toEqual([]);
    expect(envOf(runtime, {}).PATH).toMatch(/^\/app\/node_modules\/\.bin:/);
    // docker stop sends SIGKILL 10 s after SIGTERM unless told otherwise.
    const graceful = Number(/--graceful-timeout", "(\d+)"/.exec(last(runtime, 'CMD') ?? '')?.[1]);
    expect(graceful).toBeLessThan(DOCKER_STOP_TIMEOUT_S);
  });

  it(`docker stop: SIGTERM to PID 1 during a slow request, the request completes 200, gu exits 0 within graceful_timeout${canUnshare ? '' : ' (gu not PID 1: no pid namespace here, not root)'}`, async () => {
    const { gu, pid1 } = await runContainer();
    if (canUnshare) expect(gu.matches(/Arbiter booted \(pid: 1\)/)).toHaveLength(1);
    const slow = httpGet(`${gu.url}/slow?ms=1500`, { timeoutMs: 15_000 });
    await gu.waitForLog(/slow request began/);
    const graceful = Number(/--graceful-timeout", "(\d+)"/.exec(last(runtime, 'CMD') ?? '')?.[1]);
    const signalled = performance.now();
    process.kill(pid1, 'SIGTERM');
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ path: '/slow' });
    expect(await gu.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalled).toBeLessThan(graceful * 1000);
  });

  it.skipIf(!canUnshare)('as PID 1, gu reaps its workers but not orphans of the app\'s own children (why the README says --init)', async () => {
    const { gu, pid1 } = await runContainer();
    for (let i = 0; i < 3; i++) expect((await httpGet(`${gu.url}/orphan`)).status).toBe(200);
    await until(() => zombiesOf(pid1).length > 0, 'an orphan left unreaped by PID 1');
    process.kill(pid1, 'SIGTERM');
    expect(await gu.exited).toEqual({ code: 0, signal: null });
  });
});
