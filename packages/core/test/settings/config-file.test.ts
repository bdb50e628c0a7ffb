import { describe, expect, it } from 'vitest';
import { ConfigFileError, ExitCode, InvalidSettingError } from '../../src/errors.js';
import { loadSettings } from '../../src/settings/load-settings.js';
import { defineConfig, type UserConfig } from '../../src/settings/types.js';
import { rejectionOf, resolveSettings, useTempProject } from './temp-project.js';

const project = useTempProject();

function load(argv: readonly string[] = []): Promise<unknown> {
  return loadSettings({ argv, env: {}, cwd: project.dir() });
}

async function configError(text: string, name = 'gu.config.mjs'): Promise<{ error: Error; path: string }> {
  const path = project.write(name, text);
  const error = await rejectionOf(load());
  return { error, path };
}

describe('config file discovery', () => {
  it.each([
    ['gu.config.ts', 'interface Partial { workers: number }\nconst config: Partial = { workers: 3 };\nexport default config;\n'],
    ['gu.config.mjs', 'export default { workers: 3 };\n'],
    ['gu.config.js', 'export default { workers: 3 };\n'],
    ['gu.config.js', 'module.exports = { workers: 3 };\n'],
  ])('loads %s from the starting directory (%j)', async (name, text) => {
    const path = project.write(name, text);
    const settings = await resolveSettings([], {}, project.dir());
    expect(settings.config).toBe(path);
    expect(settings.workers).toBe(3);
  });

  it('prefers gu.config.ts, then .mjs, then .js', async () => {
    project.write('gu.config.js', 'export default { workers: 1 };\n');
    project.write('gu.config.mjs', 'export default { workers: 2 };\n');
    const ts = project.write('gu.config.ts', 'export default { workers: 3 };\n');
    const settings = await resolveSettings([], {}, project.dir());
    expect(settings.config).toBe(ts);
    expect(settings.workers).toBe(3);
  });

  it('loads -c FILE (relative to the starting directory) instead of the discovered file', async () => {
    project.write('gu.config.mjs', 'export default { workers: 2 };\n');
    const chosen = project.write('production.mjs', 'export default { workers: 8, app: "server.js:app" };\n');
    const settings = await resolveSettings(['--config', 'production.mjs'], {}, project.dir());
    expect(settings).toMatchObject({ config: chosen, workers: 8, app: 'server.js:app' });
  });

  it('lets the positional app override the config file one', async () => {
    project.write('gu.config.mjs', 'export default { app: "server.js:app" };\n');
    expect((await resolveSettings(['other.js'], {}, project.dir())).app).toBe('other.js');
  });

  it('re-imports an edited file on the next load (reload), ES module and CommonJS alike', async () => {
    for (const [name, template] of [['gu.config.mjs', 'export default { workers: N };'], ['gu.config.js', 'module.exports = { workers: N };']] as const) {
      const path = project.write(name, template.replace('N', '2'));
      expect((await resolveSettings(['-c', path], {}, project.dir())).workers).toBe(2);
      project.write(name, template.replace('N', '5'));
      expect((await resolveSettings(['-c', path], {}, project.dir())).workers).toBe(5);
    }
  });
});

describe('config file values', () => {
  it('coerces numeric strings as Gunicorn does, takes a single bind string, and skips undefined', async () => {
    project.write('gu.config.mjs', 'export default { workers: "4", bind: "0.0.0.0:9000", timeout: undefined };\n');
    const settings = await resolveSettings([], {}, project.dir());
    expect(settings).toMatchObject({ workers: 4, bind: ['0.0.0.0:9000'], timeout: 30 });
  });

  it.each([
    ['{ workers: -2 }', 'workers', '-2 (expected a positive integer)'],
    ['{ workers: true }', 'workers', 'true (expected a positive integer)'],
    ['{ bind: 8000 }', 'bind', '8000 (expected HOST:PORT'],
    ['{ gracefulTimeout: "soon" }', 'gracefulTimeout', '"soon" (expected an integer of 0 or more)'],
    ['{ loglevel: "verbose" }', 'loglevel', '"verbose" (expected one of'],
  ])('rejects %s naming the key and the file', async (object, key, detail) => {
    const { error, path } = await configError(`export default ${object};\n`);
    expect(error).toBeInstanceOf(InvalidSettingError);
    expect(error.message).toContain(`${key} in ${path}: invalid value ${detail}`);
  });
});

describe('config file errors', () => {
  it('reports a missing -c file with its absolute path', async () => {
    const error = await rejectionOf(load(['-c', 'missing.mjs']));
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error).toMatchObject({ code: 'GU_ERR_CONFIG_FILE', exitCode: ExitCode.USAGE });
    expect(error.message).toBe(`config file not found: ${project.dir()}/missing.mjs`);
  });

  it('reports a file that throws, keeping the cause', async () => {
    const { error, path } = await configError('throw new Error("database URL not set");\n');
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error.message).toBe(`config file ${path} failed to load: database URL not set`);
    expect((error.cause as Error).message).toBe('database URL not set');
  });

  it('reports a syntax error as a load failure', async () => {
    const { error, path } = await configError('export default { workers: ;\n');
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error.message).toContain(`config file ${path} failed to load:`);
  });

  it.each([
    ['export default 42;', 'a number'],
    ['export default [1, 2];', 'an array'],
    ['export default null;', 'null'],
    ['export default new Map();', 'a non-plain object'],
    ['export const workers = 4;', 'no default export'],
  ])('rejects a file whose export is not a plain object: %s', async (text, got) => {
    const { error, path } = await configError(`${text}\n`);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error.message).toBe(`config file ${path} must export a settings object (export default defineConfig({ ... })), got ${got}`);
  });

  it.each([
    ['graceful_timeout', ' (did you mean gracefulTimeout?)'],
    ['wrokers', ' (did you mean workers?)'],
    ['accessLogfile', ' (did you mean accesslog?)'],
    ['databaseUrl', ''],
  ])('rejects the unknown key %s', async (key, hint) => {
    const { error, path } = await configError(`export default { ${key}: 1 };\n`);
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error.message).toBe(`${key} in ${path}: unknown setting${hint}`);
  });

  it('refuses command-line-only settings in the file', async () => {
    const { error, path } = await configError('export default { printConfig: true };\n');
    expect(error.message).toBe(`printConfig in ${path}: this setting cannot be set in a config file (use --print-config on the command line)`);
  });
});

describe('user and group in the config file', () => {
  it('take names or ids (defineConfig accepts both) and resolve to ids', async () => {
    const config: UserConfig = defineConfig({ user: 'nobody', group: 65534 });
    project.write('gu.config.mjs', `export default ${JSON.stringify(config)};\n`);
    const settings = await resolveSettings([], {}, project.dir());
    expect(settings).toMatchObject({ user: 65534, group: 65534, initgroups: false });
  });

  it('name the file and what was expected for an unknown user', async () => {
    const { error, path } = await configError("export default { user: 'no-such-user-for-gu' };\n");
    expect(error).toBeInstanceOf(InvalidSettingError);
    expect(error.message).toContain(`user in ${path}`);
    expect(error.message).toContain('expected a user name known to this system or a numeric uid');
  });
});
