// deploy/systemd/: gu.socket + gu.service as shipped, run by Debian's systemd-socket-activate (the
// socket unit's part: it binds ListenStream, waits for the first connection and execs ExecStart with
// the fd as LISTEN_FDS, in a clean environment) with a NOTIFY_SOCKET the test owns (the manager's
// part of Type=notify). The paths of the units are swapped for temporary ones; nothing else is.
import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, fakeSystemd, guCommand, httpGet, startGu, tempDir, until, type FakeSystemd } from '@gu/testkit';
import { appDir, recipe } from './support/recipes.js';
import { readUnit, unitValue, unitValues, type Unit } from './support/unit-file.js';

const ACTIVATE = '/usr/bin/systemd-socket-activate';
const ANALYZE = '/usr/bin/systemd-analyze';
const service = readUnit(recipe('systemd', 'gu.service'));
const socket = readUnit(recipe('systemd', 'gu.socket'));

/** ExecStart split into words; the recipe's line is plain words (no quotes, no specifiers). */
function words(line: string): string[] {
  if (/["'\\%]/.test(line)) throw new Error(`ExecStart needs a real systemd parser: ${line}`);
  return line.split(/\s+/);
}

interface Paths { readonly socketPath: string; readonly runtimeDir: string }

/** The unit's ExecStart with the test's paths for WorkingDirectory and RuntimeDirectory. */
function execStart(unit: Unit, paths: Paths): { argv: string[]; cwd: string } {
  const runtime = `/run/${unitValue(unit, 'Service', 'RuntimeDirectory')}`;
  const [, ...args] = words(unitValue(unit, 'Service', 'ExecStart'));
  return { argv: args.map((word) => (word === runtime ? paths.runtimeDir : word)), cwd: appDir };
}

const systemds: FakeSystemd[] = [];
afterEach(async () => {
  await cleanUp();
  for (const systemd of systemds.splice(0)) systemd.close();
});

describe.skipIf(!existsSync(ACTIVATE))(`deploy/systemd under systemd-socket-activate${existsSync(ACTIVATE) ? '' : ` (skipped: no ${ACTIVATE}; Debian's systemd package has it)`}`, () => {
  it('the units say what the recipe relies on', () => {
    expect(unitValue(service, 'Service', 'Type')).toBe('notify');
    expect(unitValue(service, 'Service', 'KillMode')).toBe('mixed');
    expect(unitValue(service, 'Service', 'ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(unitValue(service, 'Service', 'User')).not.toMatch(/^(root|0)$/);
    // TERM must not be cut short: systemd's SIGKILL comes after TimeoutStopSec.
    const graceful = Number(/--graceful-timeout (\d+)/.exec(unitValue(service, 'Service', 'ExecStart'))?.[1]);
    expect(Number(unitValue(service, 'Service', 'TimeoutStopSec'))).toBeGreaterThan(graceful);
    // With socket activation gu ignores --bind: a bind in ExecStart would only mislead.
    expect(unitValue(service, 'Service', 'ExecStart')).not.toMatch(/\s(-b|--bind)\s/);
    // V8's JIT needs writable+executable memory: node aborts under MemoryDenyWriteExecute=yes.
    expect(unitValues(service, 'Service', 'MemoryDenyWriteExecute')).not.toContain('yes');
    expect(unitValues(socket, 'Socket', 'ListenStream')).toHaveLength(1);
  });

  it('serves the passed socket (even the connection that started it), READY=1, HUP reloads, TERM stops with exit 0', async () => {
    const dir = tempDir('gu-systemd-');
    const paths = { socketPath: join(dir, 'gu.sock'), runtimeDir: join(dir, 'run') };
    mkdirSync(paths.runtimeDir);
    const systemd = fakeSystemd(join(dir, 'notify.sock'));
    systemds.push(systemd);
    const { argv, cwd } = execStart(service, paths);
    const environment = unitValues(service, 'Service', 'Environment').flatMap((assignment) => ['-E', assignment]);
    const launcher = [ACTIVATE, '-l', paths.socketPath, '-E', `NOTIFY_SOCKET=${join(dir, 'notify.sock')}`, ...environment, ...guCommand];
    const gu = await startGu(argv, { command: launcher, cwd, workers: 0 });
    await gu.waitForLog(/Listening on .* as 3\./);

    // Before gu runs, the kernel queues the connection on systemd's socket; gu then accepts it.
    const first = await httpGet({ socketPath: paths.socketPath, path: '/first' });
    expect(first.status).toBe(200);
    await until(() => systemd.kinds().includes('READY=1'), 'READY=1');
    expect(systemd.messages.find((message) => message.startsWith('READY=1'))).toContain(`MAINPID=${gu.pid}`);
    expect(gu.matches(/Listening at: /)).toHaveLength(1);

    gu.signal('SIGHUP');
    await until(() => systemd.kinds().filter((kind) => kind === 'READY=1').length === 2, 'READY=1 after the reload');
    const afterReload = await httpGet({ socketPath: paths.socketPath, path: '/after-reload' });
    expect(afterReload.status).toBe(200);

    gu.signal('SIGTERM');
    expect(await gu.exited).toEqual({ code: 0, signal: null });
    await until(() => systemd.kinds().includes('STOPPING=1'), 'STOPPING=1');
    expect(systemd.kinds()).toEqual(['READY=1', 'RELOADING=1', 'READY=1', 'STOPPING=1']);
    // The socket file is systemd's: gu must leave it for the next start (nginx keeps its path).
    expect(existsSync(paths.socketPath)).toBe(true);
  });
});

describe.skipIf(!existsSync(ANALYZE))('deploy/systemd units parse', () => {
  it('systemd-analyze verify knows every directive (paths swapped for ones that exist here)', () => {
    const dir = tempDir('gu-systemd-verify-');
    const [, ...args] = words(unitValue(service, 'Service', 'ExecStart'));
    const text = readFileSync(recipe('systemd', 'gu.service'), 'utf8')
      .replace(/^ExecStart=.*$/m, `ExecStart=${guCommand.join(' ')} ${args.join(' ')}`)
      .replace(/^WorkingDirectory=.*$/m, `WorkingDirectory=${appDir}`);
    writeFileSync(join(dir, 'gu.service'), text);
    writeFileSync(join(dir, 'gu.socket'), readFileSync(recipe('systemd', 'gu.socket'), 'utf8'));
    const result = spawnSync(ANALYZE, ['verify', join(dir, 'gu.socket'), join(dir, 'gu.service')], { encoding: 'utf8', cwd: dir });
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.status).toBe(0);
  });
});
