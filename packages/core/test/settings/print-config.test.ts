import { describe, expect, it } from 'vitest';
import { formatPrintConfig } from '../../src/settings/load-settings.js';
import { registry, settingKeys } from '../../src/settings/registry.js';
import { hookNames, hookSpecs } from '../../src/hooks/server-hooks.js';
import { resolveSettings, useTempProject } from './temp-project.js';

const project = useTempProject();

describe('formatPrintConfig', () => {
  it('prints one aligned `name = value` line per setting, in registry order, then the hooks', async () => {
    const settings = await resolveSettings(['-w', '4', '-b', '127.0.0.1:1', '-b', 'unix:/tmp/a.sock', 'app.js:app'], {}, project.dir());
    const text = formatPrintConfig(settings);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    const hooks = hookNames.map((name) => hookSpecs[name].name);
    expect(lines.map((line) => line.split(' ')[0])).toEqual([...settingKeys.map((key) => registry[key].name), ...hooks]);
    expect(new Set(lines.map((line) => line.indexOf(' = '))).size).toBe(1);
    expect(lines).toContain('workers                  = 4');
    expect(lines).toContain('bind                     = ["127.0.0.1:1","unix:/tmp/a.sock"]');
    expect(lines).toContain('pidfile                  = null');
    expect(lines).toContain('access_log_format        = %(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"');
    expect(lines).toContain(`chdir                    = ${project.dir()}`);
    expect(lines).toContain('app                      = app.js:app');
    expect(lines).toContain('post_worker_init         = -');
  });
});
