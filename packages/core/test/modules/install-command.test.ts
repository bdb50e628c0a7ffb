import { describe, expect, it } from 'vitest';
import { globalPrefixOf, installCommand, installCommandFor } from '../../src/modules/install-command.js';

const execPath = '/usr/local/bin/node';

describe('installCommand', () => {
  it.each([
    ['a project\'s own node_modules', '/home/ada/app/node_modules/@gu/core', '/home/ada/app'],
    ['a project gu runs in from a subfolder', '/home/ada/app/node_modules/@gu/core', '/home/ada/app/src'],
    ['an npx cache', '/home/ada/.npm/_npx/3f2a/node_modules/@gu/core', '/home/ada/app'],
    ['a pnpm workspace', '/work/gu/packages/core', '/work/gu/apps/example'],
    ['a project called lib that the cwd is in', '/home/ada/lib/node_modules/@gu/core', '/home/ada/lib'],
  ])('says npm install PKG when core is in %s', (_where, coreDir, cwd) => {
    expect(installCommand('@gu/worker-sync', { coreDir, cwd, execPath })).toBe('npm install @gu/worker-sync');
  });

  it('says npm install -g PKG when core was installed globally into the running Node\'s prefix', () => {
    const context = { coreDir: '/usr/local/lib/node_modules/@gu/core', cwd: '/home/ada/app', execPath };
    expect(installCommand('@gu/worker-sync', context)).toBe('npm install -g @gu/worker-sync');
  });

  it('names the prefix when the global install is not in the default one, quoted for the shell', () => {
    const elsewhere = { coreDir: '/tmp/gu-global-x1/lib/node_modules/@gu/core', cwd: '/home/ada/app', execPath };
    expect(installCommand('@gu/adapters', elsewhere)).toBe('npm install -g --prefix /tmp/gu-global-x1 @gu/adapters');
    const spaced = { ...elsewhere, coreDir: "/home/ada/my tools/lib/node_modules/@gu/core" };
    expect(installCommand('@gu/adapters', spaced)).toBe("npm install -g --prefix '/home/ada/my tools' @gu/adapters");
  });

  it('sees the prefix only in the PREFIX/lib/node_modules/@gu/core layout npm -g writes', () => {
    expect(globalPrefixOf('/opt/n/lib/node_modules/@gu/core', '/srv/app')).toBe('/opt/n');
    expect(globalPrefixOf('/opt/n/node_modules/@gu/core', '/srv/app')).toBeNull();
  });

  it('for this checkout (a workspace, not a global install): a plain npm install', () => {
    expect(installCommandFor('@gu/worker-sync', process.cwd())).toBe('npm install @gu/worker-sync');
  });
});
