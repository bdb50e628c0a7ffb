import { readFile, rename, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { appendRecordSync } from '../../src/logging/append-file.js';
import { formatRecord } from '../../src/logging/record.js';
import { join, useTempDir } from './temp-dir.js';

describe('appendRecordSync (records from the stack watchdog thread)', () => {
  const dir = useTempDir();

  it('appends one whole record to the error log file, and follows a rotation', async () => {
    const path = join(dir.path, 'error.log');
    await writeFile(path, 'earlier\n');
    appendRecordSync(path, 'first\n  at spin\n');
    await rename(path, `${path}.1`);
    appendRecordSync(path, 'second\n');
    expect(await readFile(`${path}.1`, 'utf8')).toBe('earlier\nfirst\n  at spin\n');
    expect(await readFile(path, 'utf8')).toBe('second\n');
  });
});

describe('formatRecord', () => {
  it("is Gunicorn's line shape, the text's further lines following as they are", () => {
    const record = formatRecord('critical', 42, 'stuck at:\n    at spin (file:///a.mjs:1:1)', new Date());
    expect(record).toMatch(/^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}\] \[42\] \[CRITICAL\] stuck at:\n {4}at spin \(file:\/\/\/a\.mjs:1:1\)\n$/);
  });
});
