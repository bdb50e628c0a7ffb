import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, runGu, tempDir } from '@gu/testkit';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'pid-app.mjs');
const worker = ['-k', join(fixtures, 'minimal-worker.mjs')];

afterEach(cleanUp);

function projectWithConfig(name: string, source: string): string {
  const dir = tempDir('gu-cli-');
  writeFileSync(join(dir, name), source);
  return dir;
}

/** Each bad input: one line naming the setting and the expectation, a usage exit (2), nothing bound. */
const badSettings: { name: string; args: string[]; code: number; message: RegExp }[] = [
  { name: 'negative workers', args: ['-w', '-1'], code: 2, message: /workers.*"-1".*positive integer/ },
  { name: 'non-numeric timeout', args: ['-t', 'soon'], code: 2, message: /timeout.*"soon"/ },
  { name: 'unparsable bind', args: ['-b', 'localhost:http'], code: 2, message: /bind.*"localhost:http".*HOST:PORT/ },
  { name: 'unknown flag', args: ['--wrokers', '2'], code: 2, message: /--wrokers/ },
  { name: 'unknown log level', args: ['--log-level', 'loud'], code: 2, message: /log.?level.*"loud"/ },
  { name: 'unknown log format', args: ['--log-format', 'xml'], code: 2, message: /log_format.*"xml".*one of text, json/ },
  { name: 'statsd host without a port', args: ['--statsd-host', 'localhost'], code: 2, message: /statsd_host.*"localhost".*HOST:PORT/ },
  {
    name: 'worker class not installed',
    // A package that is not in this workspace (the test's NODE_PATH reaches every one that is).
    args: ['-k', '@gu/worker-gevent'],
    code: 2,
    message: /worker_class.*"@gu\/worker-gevent".*npm install @gu\/worker-gevent/,
  },
  { name: 'worker class file missing', args: ['-k', './nope.mjs'], code: 2, message: /worker class file not found/ },
];

describe('gu command line', () => {
  it.each(badSettings)('rejects $name before binding', async ({ args, code, message }) => {
    const result = await runGu([app, ...worker, '-b', '127.0.0.1:0', ...args]);
    expect(result.code).toBe(code);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gu: error: /);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toContain('Listening at');
  });

  it('rejects a config file that throws, naming the file', async () => {
    const dir = projectWithConfig('gu.config.mjs', "throw new Error('no secrets file');\n");
    const result = await runGu([app, ...worker], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/gu\.config\.mjs.*no secrets file/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('rejects a config file that exports the wrong shape', async () => {
    const dir = projectWithConfig('gu.config.mjs', 'export default 42;\n');
    const result = await runGu([app, ...worker], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/gu\.config\.mjs/);
  });

  it('reads a typed gu.config.ts and lets flags override it (--print-config)', async () => {
    const dir = projectWithConfig(
      'gu.config.ts',
      "const config: { workers: number; bind: string[]; timeout: number } = { workers: 3, bind: ['127.0.0.1:9999'], timeout: 7 };\nexport default config;\n",
    );
    const result = await runGu([app, '--print-config', '-t', '9'], { cwd: dir, env: { WEB_CONCURRENCY: '5' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^workers\s*=\s*3$/m);
    expect(result.stdout).toMatch(/^timeout\s*=\s*9$/m);
    expect(result.stdout).toMatch(/^bind\s*=.*127\.0\.0\.1:9999/m);
  });

  it('--check-config loads the app and exits 0 without serving', async () => {
    const result = await runGu([app, ...worker, '--check-config']);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('Listening at');
  });

  it('--check-config fails with exit 4 when the app throws on import', async () => {
    const result = await runGu([join(fixtures, 'broken-on-import.mjs'), ...worker, '--check-config']);
    expect(result.code).toBe(4);
    expect(result.stderr.trim()).toMatch(/^gu: error: Cannot load app .*database URL is not set$/);
  });

  it('--version and --help exit 0', async () => {
    const version = await runGu(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/gu \(version \d+\.\d+\.\d+/);
    const help = await runGu(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--bind', '--workers', '--worker-class', '--timeout', '--graceful-timeout', '--access-logfile']) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('exits 2 with a clear line when no app is given', async () => {
    const result = await runGu([...worker]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gu: error: .*app/);
  });

  it('refuses to start over a pidfile of a running process (exit 1) and leaves no socket behind', async () => {
    const dir = tempDir('gu-pidfile-');
    const pidfile = join(dir, 'gu.pid');
    const socket = join(dir, 'gu.sock');
    writeFileSync(pidfile, `${process.pid}\n`);
    const result = await runGu([app, ...worker, '-b', `unix:${socket}`, '-p', pidfile]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`pidfile (-p): already running on PID ${process.pid}`);
    expect(existsSync(socket)).toBe(false);
    expect(readFileSync(pidfile, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('takes PORT, WEB_CONCURRENCY and GU_CMD_ARGS from the environment, below the command line', async () => {
    const env = { PORT: '9123', WEB_CONCURRENCY: '3', GU_CMD_ARGS: "--name 'shop api' -w 5 --timeout 12" };
    const result = await runGu([app, '--print-config', '--timeout', '13'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^bind\s*=\s*\["0\.0\.0\.0:9123"\]$/m);
    expect(result.stdout).toMatch(/^workers\s*=\s*5$/m);
    expect(result.stdout).toMatch(/^proc_name\s*=\s*shop api$/m);
    expect(result.stdout).toMatch(/^timeout\s*=\s*13$/m);
  });
});
