import { readFile, rename } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnwritablePathError } from '../../src/errors.js';
import type { AccessEntry } from '../../src/logging/access-entry.js';
import { createAccessLogger } from '../../src/logging/access-log.js';
import { join, useTempDir } from './temp-dir.js';

const entry: AccessEntry = {
  remoteAddress: '127.0.0.1',
  method: 'GET',
  url: '/',
  httpVersion: '1.1',
  status: 200,
  responseBytes: 2,
  requestHeaders: {},
  responseHeaders: {},
  startedAt: new Date(),
  durationMicros: 150,
  pid: process.pid,
  scheme: 'http',
};

const requestTo = (url: string): AccessEntry => ({ ...entry, url });

describe('createAccessLogger', () => {
  const dir = useTempDir();

  it('returns null when there is no access log', () => {
    expect(createAccessLogger({ accesslog: null, format: '%(h)s' })).toBeNull();
  });

  it('writes every line, in order, once close() resolves', async () => {
    const path = join(dir.path, 'access.log');
    const logger = createAccessLogger({ accesslog: path, format: '%(s)s %(U)s' })!;
    for (let index = 0; index < 2000; index += 1) logger.log(requestTo(`/r${index}`));
    await logger.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(2001);
    expect(lines[0]).toBe('200 /r0');
    expect(lines[1999]).toBe('200 /r1999');
    expect(lines[2000]).toBe('');
  });

  it('reopens the file after rotation; lines logged before go to the old file', async () => {
    const path = join(dir.path, 'access.log');
    const logger = createAccessLogger({ accesslog: path, format: '%(U)s' })!;
    logger.log(requestTo('/before'));
    await rename(path, `${path}.1`);
    logger.reopen();
    logger.log(requestTo('/after'));
    await logger.close();
    expect(await readFile(`${path}.1`, 'utf8')).toBe('/before\n');
    expect(await readFile(path, 'utf8')).toBe('/after\n');
  });

  it('refuses a file it cannot open, naming the accesslog setting', () => {
    const path = join(dir.path, 'no-such-folder', 'access.log');
    expect(() => createAccessLogger({ accesslog: path, format: '%(h)s' })).toThrow(UnwritablePathError);
    expect(() => createAccessLogger({ accesslog: path, format: '%(h)s' })).toThrow(
      /^accesslog \(--access-logfile\): cannot write ".*no-such-folder\/access\.log": directory .*no-such-folder does not exist \(expected /,
    );
  });

  it('refuses a bad format before opening anything', () => {
    expect(() => createAccessLogger({ accesslog: join(dir.path, 'x.log'), format: '%(h)q' })).toThrow(
      /^accessLogFormat: invalid value "%\(h\)q"/,
    );
  });

  it('reports a failing write to the error log instead of crashing', async () => {
    const exception = vi.fn();
    const logger = createAccessLogger({ accesslog: '/dev/full', format: '%(U)s', errorLog: { exception } })!;
    logger.log(entry);
    await logger.close();
    expect(exception).toHaveBeenCalledWith('Cannot write the access log /dev/full', expect.objectContaining({ code: 'ENOSPC' }));
  });
});

describe('createAccessLogger writing stdout', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('joins the lines of one event-loop turn into one write, flushed by close()', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((_text: unknown, callback?: unknown) => {
      if (typeof callback === 'function') (callback as () => void)();
      return true;
    });
    const logger = createAccessLogger({ accesslog: '-', format: '%(U)s' })!;
    logger.log(requestTo('/one'));
    logger.log(requestTo('/two'));
    logger.log(requestTo('/three'));
    expect(write).not.toHaveBeenCalled();
    await logger.close();
    expect(write).toHaveBeenCalledTimes(1);
    expect(write.mock.calls[0]?.[0]).toBe('/one\n/two\n/three\n');
  });

  it('flushes on the next turn without close()', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const logger = createAccessLogger({ accesslog: '-', format: '%(U)s' })!;
    logger.log(requestTo('/soon'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(write).toHaveBeenCalledWith('/soon\n', expect.any(Function));
  });
});
