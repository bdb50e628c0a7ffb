import { describe, expect, it } from 'vitest';
import { ExitCode, InvalidSettingError, UnknownOptionError } from '../../src/errors.js';
import { loadSettings } from '../../src/settings/load-settings.js';
import { rejectionOf, resolveSettings, useTempProject } from './temp-project.js';

const project = useTempProject();
const BIND_FORM = 'HOST:PORT, [IPV6]:PORT, HOST, unix:PATH or fd://N';

function load(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<unknown> {
  return loadSettings({ argv, env, cwd: project.dir() });
}

describe('invalid values', () => {
  it.each([
    [['-w', '-1'], {}, 'workers (-w): invalid value "-1" (expected a positive integer)'],
    [['--workers', '0'], {}, 'workers (-w): invalid value "0" (expected a positive integer)'],
    [['-w', 'four'], {}, 'workers (-w): invalid value "four" (expected a positive integer)'],
    [['-t', '1.5'], {}, 'timeout (-t): invalid value "1.5" (expected an integer of 0 or more)'],
    [['--graceful-timeout=-3'], {}, 'graceful_timeout (--graceful-timeout): invalid value "-3" (expected an integer of 0 or more)'],
    [['--backlog', '0'], {}, 'backlog (--backlog): invalid value "0" (expected a positive integer)'],
    [['-b', 'host:port'], {}, `bind (-b): invalid value "host:port" (expected ${BIND_FORM})`],
    [['-b', '127.0.0.1:80', '-b', 'unix:'], {}, `bind (-b): invalid value "unix:" (expected ${BIND_FORM})`],
    [['--log-level', 'loud'], {}, 'loglevel (--log-level): invalid value "loud" (expected one of debug, info, warning, error, critical)'],
    [['-k', ' '], {}, 'worker_class (-k): invalid value " " (expected a non-empty string)'],
    [['--chdir', 'no/such/dir'], {}, 'chdir (--chdir): invalid value "no/such/dir" (expected an existing directory)'],
    [[':app'], {}, 'app (APP_MODULE): invalid value ":app" (expected module[:export], e.g. app.js:app)'],
    [['-e', 'DEBUG'], {}, 'raw_env (-e): invalid value "DEBUG" (expected KEY=VALUE)'],
    [['--env', 'A=1', '--env', '=1'], {}, 'raw_env (-e): invalid value "=1" (expected KEY=VALUE)'],
    [['-m', '0o1000'], {}, 'umask (-m): invalid value "0o1000" (expected an integer from 0 to 0o777, octal as 0o027 or "027")'],
    [['--umask', '089'], {}, 'umask (-m): invalid value "089" (expected an integer from 0 to 0o777, octal as 0o027 or "027")'],
    [['--umask', 'rw-'], {}, 'umask (-m): invalid value "rw-" (expected an integer from 0 to 0o777, octal as 0o027 or "027")'],
    [[], { WEB_CONCURRENCY: 'lots' }, 'workers (WEB_CONCURRENCY): invalid value "lots" (expected a positive integer)'],
    [[], { PORT: 'http' }, `bind (PORT): invalid value "0.0.0.0:http" (expected ${BIND_FORM})`],
    [[], { GU_CMD_ARGS: '--max-requests many' }, 'max_requests (--max-requests in GU_CMD_ARGS): invalid value "many" (expected an integer of 0 or more)'],
  ])('%j with env %j → %s', async (argv, env, message) => {
    const error = await rejectionOf(load(argv, env));
    expect(error).toBeInstanceOf(InvalidSettingError);
    expect(error).toMatchObject({ code: 'GU_ERR_INVALID_SETTING', exitCode: ExitCode.USAGE, message });
  });

  it('accepts log levels in any case, as Gunicorn does', async () => {
    expect((await resolveSettings(['--log-level', 'WARNING'], {}, project.dir())).loglevel).toBe('warning');
  });

  it.each([
    ['027', 0o27],
    ['0o027', 0o27],
    ['0O77', 0o77],
    ['0', 0],
    ['0x1f', 0x1f],
    ['18', 18],
  ])('reads umask %s as Gunicorn does (int(value, 0) after a leading 0 means octal)', async (text, mask) => {
    expect((await resolveSettings(['-m', text], {}, project.dir())).umask).toBe(mask);
  });

  it('keeps a raw_env value whole after its first =, and may be empty', async () => {
    const settings = await resolveSettings(['-e', 'URL=a=b', '-e', 'EMPTY='], {}, project.dir());
    expect(settings.rawEnv).toEqual(['URL=a=b', 'EMPTY=']);
  });

  it('takes a negative number as the value of a flag, so the message can name it', async () => {
    const error = await rejectionOf(load(['--max-requests', '-5']));
    expect(error.message).toContain('invalid value "-5"');
  });

  it('treats an empty environment variable as unset', async () => {
    expect((await resolveSettings([], { WEB_CONCURRENCY: '', PORT: ' ' }, project.dir())).workers).toBe(1);
  });
});

describe('bad usage', () => {
  it.each([
    [['--nope'], {}, 'unknown option --nope (run gu --help to list the options)'],
    [['-x', 'app.js'], {}, 'unknown option -x (run gu --help to list the options)'],
    [['app.js', '-w'], {}, 'option -w needs a value: -w/--workers INT'],
    [['-b', '--workers', '2'], {}, 'option -b needs a value: -b/--bind ADDRESS'],
    [['--check-config=yes'], {}, 'option --check-config takes no value'],
    [['app.js', 'other.js'], {}, 'unexpected argument "other.js": gu takes a single APP_MODULE'],
    [[], { GU_CMD_ARGS: '--frobnicate' }, 'unknown option --frobnicate in GU_CMD_ARGS (run gu --help to list the options)'],
  ])('%j with env %j → %s', async (argv, env, message) => {
    const error = await rejectionOf(load(argv, env));
    expect(error).toBeInstanceOf(UnknownOptionError);
    expect(error).toMatchObject({ code: 'GU_ERR_UNKNOWN_OPTION', exitCode: ExitCode.USAGE, message });
  });
});
