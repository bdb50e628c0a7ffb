import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, errorTable, GuError, InvalidSettingError, BindError } from '../src/errors.js';

const doc = readFileSync(join(import.meta.dirname, '../../../docs/errors.md'), 'utf8');

function tableRows(heading: string): string[][] {
  const section = doc.split(`## ${heading}`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| [`\d]/.test(line))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

describe('the error table', () => {
  it('documents every error code with its exit code, and nothing else', () => {
    const documented = Object.fromEntries(tableRows('Error codes').map(([code, exit]) => [code!.replaceAll('`', ''), Number(exit)]));
    const actual = Object.fromEntries(Object.entries(errorTable).map(([code, spec]) => [code, spec.exitCode]));
    expect(documented).toEqual(actual);
  });

  it('documents every exit code', () => {
    const documented = tableRows('Exit codes').map(([code]) => Number(code));
    expect(documented.sort()).toEqual(Object.values(ExitCode).sort());
  });

  it('gives each error class its code and exit code', () => {
    const invalid = new InvalidSettingError('workers (-w)', '-1', 'a positive integer');
    expect(invalid).toBeInstanceOf(GuError);
    expect(invalid.code).toBe('GU_ERR_INVALID_SETTING');
    expect(invalid.exitCode).toBe(2);
    expect(invalid.message).toBe('workers (-w): invalid value "-1" (expected a positive integer)');
    expect(new BindError('Connection in use: 127.0.0.1:80').exitCode).toBe(5);
  });
});
