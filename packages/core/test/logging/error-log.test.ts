import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnwritablePathError } from '../../src/errors.js';
import { createLogger } from '../../src/logging/error-log.js';
import { logLevels, type LogLevel } from '../../src/logging/levels.js';
import type { Logger } from '../../src/logging/logger.js';
import { formatErrorLogTime } from '../../src/logging/time-format.js';
import { join, useTempDir } from './temp-dir.js';

const linePattern = /^(?<time>\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}\]) \[(?<pid>\d+)\] \[(?<level>[A-Z]+)\] (?<message>.*)$/;

async function linesOf(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

function logEveryLevel(logger: Logger): void {
  logger.debug('a debug record');
  logger.info('an info record');
  logger.warning('a warning record');
  logger.error('an error record');
  logger.critical('a critical record');
}

describe('createLogger writing a file', () => {
  const dir = useTempDir();

  it("writes Gunicorn's line shape: [time] [pid] [LEVEL] message", async () => {
    const path = join(dir.path, 'error.log');
    const logger = createLogger({ errorlog: path, loglevel: 'info', pid: 1234 });
    const before = new Date();
    logger.info('Listening at: http://127.0.0.1:8000 (1234)');
    const after = new Date();
    await logger.close();
    const [line] = await linesOf(path);
    const groups = linePattern.exec(line ?? '')?.groups;
    expect(groups).toMatchObject({ pid: '1234', level: 'INFO', message: 'Listening at: http://127.0.0.1:8000 (1234)' });
    expect([formatErrorLogTime(before), formatErrorLogTime(after)]).toContain(groups?.time);
  });

  it.each(logLevels)('at loglevel %s, drops only the records below it', async (loglevel: LogLevel) => {
    const path = join(dir.path, `${loglevel}.log`);
    const logger = createLogger({ errorlog: path, loglevel });
    logEveryLevel(logger);
    await logger.close();
    const levels = (await linesOf(path)).map((line) => linePattern.exec(line)?.groups?.level);
    const expected = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'].slice(logLevels.indexOf(loglevel));
    expect(levels).toEqual(expected);
    const pids = (await linesOf(path)).map((line) => linePattern.exec(line)?.groups?.pid);
    expect(new Set(pids)).toEqual(new Set([String(process.pid)]));
  });

  it('logs an exception at ERROR followed by its stack and cause, in one record', async () => {
    const path = join(dir.path, 'error.log');
    const logger = createLogger({ errorlog: path, loglevel: 'error' });
    logger.exception('Exception in worker process', new Error('boom', { cause: new Error('root cause') }));
    await logger.close();
    const lines = await linesOf(path);
    expect(linePattern.exec(lines[0] ?? '')?.groups).toMatchObject({ level: 'ERROR', message: 'Exception in worker process' });
    expect(lines[1]).toBe('Error: boom');
    expect(lines[2]).toMatch(/^ {4}at /);
    expect(lines.join('\n')).toContain('[cause]: Error: root cause');
  });

  it('logs a thrown value that is not an Error', async () => {
    const path = join(dir.path, 'error.log');
    const logger = createLogger({ errorlog: path, loglevel: 'info' });
    logger.exception('App failed', 'a bare string');
    await logger.close();
    expect((await linesOf(path))[1]).toBe("'a bare string'");
  });

  it('appends to an existing file, and two writers on one file keep every line (O_APPEND)', async () => {
    const path = join(dir.path, 'shared.log');
    await writeFile(path, 'earlier line\n');
    const first = createLogger({ errorlog: path, loglevel: 'info', pid: 1 });
    const second = createLogger({ errorlog: path, loglevel: 'info', pid: 2 });
    for (let index = 0; index < 50; index += 1) {
      first.info(`first ${index}`);
      second.info(`second ${index}`);
    }
    await Promise.all([first.close(), second.close()]);
    const lines = await linesOf(path);
    expect(lines).toHaveLength(101);
    expect(lines[0]).toBe('earlier line');
    expect(lines.slice(1).filter((line) => linePattern.test(line))).toHaveLength(100);
    expect(lines[100]).toMatch(/\[2\] \[INFO\] second 49$/);
  });

  it('reopens the file after rotation', async () => {
    const path = join(dir.path, 'error.log');
    const logger = createLogger({ errorlog: path, loglevel: 'info' });
    logger.info('before rotation');
    await rename(path, `${path}.1`);
    logger.info('still to the rotated file');
    logger.reopen();
    logger.info('after rotation');
    await logger.close();
    expect((await linesOf(`${path}.1`)).map((line) => linePattern.exec(line)?.groups?.message)).toEqual([
      'before rotation',
      'still to the rotated file',
    ]);
    expect((await linesOf(path)).map((line) => linePattern.exec(line)?.groups?.message)).toEqual(['after rotation']);
  });

  it('refuses a file it cannot open, naming the errorlog setting', () => {
    const path = join(dir.path, 'missing-folder', 'error.log');
    expect(() => createLogger({ errorlog: path, loglevel: 'info' })).toThrow(UnwritablePathError);
    expect(() => createLogger({ errorlog: path, loglevel: 'info' })).toThrow(
      /^errorlog \(--error-logfile\): cannot write ".*missing-folder\/error\.log": directory .*missing-folder does not exist \(expected a file gu can create or append to, or - for standard error\)$/,
    );
  });

  it('says in one line why it cannot reopen, and keeps writing to the old file', async () => {
    const folder = join(dir.path, 'logs');
    await mkdir(folder);
    const path = join(folder, 'error.log');
    const logger = createLogger({ errorlog: path, loglevel: 'info' });
    await rename(folder, `${folder}.old`);
    logger.reopen();
    logger.info('after the failed reopen');
    await logger.close();
    const messages = (await linesOf(join(`${folder}.old`, 'error.log'))).map((line) => linePattern.exec(line)?.groups?.message);
    expect(messages).toEqual([
      `Cannot reopen the error log ${path}: directory ${folder} does not exist; still writing to the old file`,
      'after the failed reopen',
    ]);
  });
});

describe('createLogger writing stderr', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes each record to stderr in one write, synchronously', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const logger = createLogger({ errorlog: '-', loglevel: 'warning', pid: 77 });
    logger.info('dropped');
    logger.warning('Worker (pid:78) was sent SIGKILL!');
    expect(write).toHaveBeenCalledTimes(1);
    expect(String(write.mock.calls[0]?.[0])).toMatch(/^\[[^\]]+\] \[77\] \[WARNING\] Worker \(pid:78\) was sent SIGKILL!\n$/);
  });
});

describe('createLogger with format json', () => {
  const dir = useTempDir();

  it('writes one JSON object per record, a thrown error in its own field with code, stack and cause', async () => {
    const path = join(dir.path, 'json.log');
    const logger = createLogger({ errorlog: path, loglevel: 'info', format: 'json', pid: 4321 });
    logger.debug('dropped below the level');
    logger.warning('a "quoted"\nmulti-line warning');
    const cause = new Error('the cause');
    logger.exception('Error handling request GET / HTTP/1.1', Object.assign(new Error('boom', { cause }), { code: 'E_BOOM' }));
    logger.exception('a thrown string', 'not an error');
    await logger.close();
    const records = (await linesOf(path)).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual({ time: expect.any(String) as unknown, level: 'warning', pid: 4321, message: 'a "quoted"\nmulti-line warning' });
    expect(Date.parse(records[0]?.time as string)).not.toBeNaN();
    expect(records[1]).toMatchObject({ level: 'error', message: 'Error handling request GET / HTTP/1.1' });
    expect(records[1]?.exception).toMatchObject({ type: 'Error', message: 'boom', code: 'E_BOOM' });
    const stack = (records[1]?.exception as { stack: string }).stack;
    expect(stack).toContain('error-log.test.ts');
    expect(stack).toContain('the cause');
    expect(records[2]?.exception).toMatchObject({ type: 'string', message: 'not an error' });
  });
});
