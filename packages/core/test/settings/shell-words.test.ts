import { describe, expect, it } from 'vitest';
import { InvalidSettingError } from '../../src/errors.js';
import { splitShellWords } from '../../src/settings/shell-words.js';
import { resolveSettings, useTempProject } from './temp-project.js';

const project = useTempProject();

describe('GU_CMD_ARGS splitting (shlex.split)', () => {
  it.each([
    ['-w 3   --name "my app"', ['-w', '3', '--name', 'my app']],
    [`--access-logformat '%(h)s "%(r)s"'`, ['--access-logformat', '%(h)s "%(r)s"']],
    ['a\\ b c', ['a b', 'c']],
    ['"say \\"hi\\"" "back\\\\slash" "keep\\n"', ['say "hi"', 'back\\slash', 'keep\\n']],
    [`'it'\\''s'`, ["it's"]],
    ['-b"127.0.0.1:1"x \'\'', ['-b127.0.0.1:1x', '']],
    ['\t \n', []],
  ])('%s', (line, words) => {
    expect(splitShellWords(line)).toEqual(words);
  });

  it.each([['"open'], ["'open"], ['trailing\\']])('rejects %s with a message naming GU_CMD_ARGS', (line) => {
    expect(() => splitShellWords(line)).toThrow(InvalidSettingError);
    expect(() => splitShellWords(line)).toThrow(`GU_CMD_ARGS: invalid value ${JSON.stringify(line)} (expected arguments split like a shell, with balanced quotes)`);
  });

  it('carries a quoted value with spaces into the settings', async () => {
    const settings = await resolveSettings([], { GU_CMD_ARGS: `--access-logformat '%(h)s "%(r)s" %(s)s' -n "my site"` }, project.dir());
    expect(settings.accessLogFormat).toBe('%(h)s "%(r)s" %(s)s');
    expect(settings.procName).toBe('my site');
  });
});
