import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');

afterEach(cleanUp);

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('SIGUSR1 (reopen logs) never opens the inspector', () => {
  it('forks workers with --disable-sigusr1 and stays closed on 9229 after USR1', async () => {
    const gu = await startGu([join(fixtures, 'exec-argv-app.mjs'), '-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')]);
    const execArgv = JSON.parse((await httpGet(`${gu.url}/`)).body) as string[];
    expect(execArgv).toContain('--disable-sigusr1');
    const before = await listening(9229);
    gu.signal('SIGUSR1');
    process.kill(gu.workerPids[0]!, 'SIGUSR1');
    await gu.waitForLog(/Handling signal: usr1/);
    expect((await httpGet(`${gu.url}/`)).status).toBe(200);
    expect(gu.stderr).not.toContain('Debugger listening');
    // Nothing of ours opened the inspector port (it may be taken by something else on this machine).
    if (!before) expect(await listening(9229)).toBe(false);
  });
});
