// systemd's notify protocol: what a Type=notify unit's manager receives on NOTIFY_SOCKET.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, fakeSystemd, startGu, tempDir } from '@gu/testkit';
import { isRunning, until } from './processes.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const minimalWorker = join(fixtures, 'minimal-worker.mjs');

/** The variables of a running process, from /proc (Linux). */
function environOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
}

const systemds: { close: () => void }[] = [];
afterEach(async () => {
  await cleanUp();
  for (const systemd of systemds.splice(0)) systemd.close();
});

describe('NOTIFY_SOCKET', () => {
  it('sends READY=1, RELOADING=1 and READY=1 on HUP, STOPPING=1, with STATUS lines; workers do not see it', async () => {
    const address = join(tempDir('gu-notify-'), 'notify.sock');
    const systemd = fakeSystemd(address);
    systemds.push(systemd);
    const kinds = (): string[] => systemd.kinds();
    const env = { ...process.env, NOTIFY_SOCKET: address, WATCHDOG_USEC: '200000' };
    const gu = await startGu([app, '-w', '2', '-k', minimalWorker, '-b', '127.0.0.1:0'], { env, workers: 2 });
    await until(() => kinds().includes('READY=1'), 'READY=1');
    const ready = systemd.messages.find((message) => message.startsWith('READY=1'));
    expect(ready).toContain(`MAINPID=${gu.pid}`);
    expect(ready).toContain('STATUS=2 workers, generation 1');
    for (const pid of gu.workerPids) expect(environOf(pid).filter((entry) => /^(NOTIFY_SOCKET|WATCHDOG_)/.test(entry))).toEqual([]);
    // WATCHDOG_USEC=200000: a keep-alive every 100 ms.
    await until(() => systemd.messages.filter((message) => message === 'WATCHDOG=1').length >= 2, 'WATCHDOG=1');

    gu.signal('SIGHUP');
    await gu.waitForLog(/Reload done: generation 2 is serving/);
    await until(() => kinds().filter((kind) => kind === 'READY=1').length >= 2, 'the second READY=1');
    expect(systemd.messages.find((message) => message.startsWith('RELOADING=1'))).toMatch(/^RELOADING=1\nMONOTONIC_USEC=\d+\n/);

    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    await until(() => kinds().includes('STOPPING=1'), 'STOPPING=1');
    expect(kinds()).toEqual(['READY=1', 'RELOADING=1', 'READY=1', 'STOPPING=1']);
    expect(systemd.messages.some((message) => message.startsWith('STATUS=') && /\d+ workers?, generation 2/.test(message))).toBe(true);
  });

  it('reaches an abstract socket (@name) and sends READY=1 again when a reload cannot boot', async () => {
    const address = `@gu-test-${process.pid}-${Date.now()}`;
    const systemd = fakeSystemd(address);
    systemds.push(systemd);
    const dir = tempDir('gu-notify-');
    const config = join(dir, 'gu.config.mjs');
    writeFileSync(config, `export default { app: ${JSON.stringify(app)} };\n`);
    const env = { ...process.env, NOTIFY_SOCKET: address };
    const gu = await startGu(['-c', config, '-k', minimalWorker, '-b', '127.0.0.1:0'], { env, cwd: dir });
    await until(() => systemd.messages.some((message) => message.startsWith('READY=1')), 'READY=1');
    writeFileSync(config, `export default { app: ${JSON.stringify(join(fixtures, 'broken-on-import.mjs'))} };\n`);
    gu.signal('SIGHUP');
    await gu.waitForLog(/Reload failed: generation 2 could not boot/);
    await until(() => systemd.messages.filter((message) => message.startsWith('READY=1')).length >= 2, 'the second READY=1');
    expect(systemd.messages.at(-1)).toMatch(/generation 1$/);
  });

  it('after USR2, the old arbiter hands the service to the new one (MAINPID=) instead of STOPPING=1', async () => {
    const address = join(tempDir('gu-notify-'), 'notify.sock');
    const systemd = fakeSystemd(address);
    systemds.push(systemd);
    const env = { ...process.env, NOTIFY_SOCKET: address };
    const gu = await startGu([app, '-k', minimalWorker, '-b', '127.0.0.1:0'], { env });
    gu.signal('SIGUSR2');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 2);
    const next = gu.arbiterPids[1]!;
    await until(() => systemd.messages.some((message) => message.startsWith(`READY=1\nMAINPID=${next}\n`)), 'READY=1 from the new arbiter');

    gu.signal('SIGTERM');
    expect((await gu.exited).code).toBe(0);
    await until(() => systemd.messages.some((message) => message.startsWith(`MAINPID=${next}\n`)), 'the handover');
    expect(systemd.messages.filter((message) => message.startsWith('STOPPING=1'))).toEqual([]);

    process.kill(next, 'SIGTERM');
    await until(() => !isRunning(next), 'the new arbiter to exit');
    expect(systemd.messages.at(-1)).toMatch(/^STOPPING=1\n/);
  });
});
