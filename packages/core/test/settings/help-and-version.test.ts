import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSettings, type LoadResult } from '../../src/settings/load-settings.js';
import { registry, sections, settingKeys } from '../../src/settings/registry.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function run(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<LoadResult> {
  return loadSettings({ argv, env, cwd: import.meta.dirname });
}

async function helpText(argv: readonly string[] = ['--help']): Promise<string> {
  const result = await run(argv);
  if (result.kind !== 'help') throw new Error(`expected help, got ${result.kind}`);
  return result.text;
}

describe('--help', () => {
  it('lists every flag of the registry, with its metavar and default', async () => {
    const text = await helpText();
    for (const key of settingKeys) {
      for (const flag of registry[key].flags) expect(text).toMatch(new RegExp(`(^|[ ,])${flag}([ ,\\n]|$)`, 'm'));
    }
    expect(text).toContain('-w, --workers INT');
    expect(text).toContain('--error-logfile, --log-file FILE');
    expect(text).toContain('--backlog INT');
    expect(text).toMatch(/--backlog INT +The maximum number of pending connections\. \[2048\]\n/);
    expect(text).toMatch(/^usage: gu \[OPTIONS\] \[APP_MODULE\]/);
  });

  it('groups the flags by section, in Gunicorn’s order', async () => {
    const text = await helpText();
    const positions = ['General', ...sections].map((section) => text.indexOf(`\n${section}:\n`));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text.indexOf('--workers')).toBeGreaterThan(text.indexOf('\nWorker Processes:\n'));
  });

  it('keeps lines within 100 columns and has no Markdown backticks', async () => {
    const text = await helpText();
    expect(Math.max(...text.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
    expect(text).not.toContain('`');
  });

  it.each([[['-h']], [['--nope', '--help']], [['-w', '0', '-h']]])('wins over anything else on the line: %j', async (argv) => {
    expect((await run(argv)).kind).toBe('help');
  });

  it('is honoured in GU_CMD_ARGS too, as Gunicorn parses GUNICORN_CMD_ARGS with the same parser', async () => {
    expect((await run([], { GU_CMD_ARGS: '--help' })).kind).toBe('help');
  });
});

describe('--version', () => {
  it.each([['-v'], ['--version']])('%s prints the version of package.json, worded as Gunicorn', async (flag) => {
    expect(await run([flag])).toEqual({ kind: 'version', text: `gu (version ${manifest.version})` });
  });
});
