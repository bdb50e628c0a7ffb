import { describe, expect, inject, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { cleanUp, tempDir } from '@gu/testkit';
import { installLine, publishablePackages, tarballName, workspaceRoot } from '@gu/pack';

afterAll(cleanUp);

interface Manifest {
  name: string;
  version: string;
  license?: string;
  engines?: { node?: string };
  files?: string[];
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  peerDependencies?: Record<string, string>;
}

const tarballs = inject('tarballs');
const rootLicense = readFileSync(join(workspaceRoot, 'LICENSE'), 'utf8');
const rootEngines = (JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as Manifest).engines?.node;
const packages = publishablePackages();
const coreVersion = packages.find((pkg) => pkg.name === '@gu/core')?.version;

/** The tarball's `package/` folder, unpacked. */
function unpack(name: string): string {
  const dir = tempDir('gu-unpacked-');
  execFileSync('tar', ['-xzf', join(tarballs, tarballName(name)), '-C', dir]);
  return join(dir, 'package');
}

function exportTargets(manifest: Manifest): string[] {
  return Object.values(manifest.exports ?? {}).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
}

describe('the packed packages', () => {
  it('are every package under packages/ that is not private, core first', () => {
    expect(packages.map((pkg) => pkg.name)).toEqual([
      '@gu/core',
      '@gu/adapters',
      '@gu/asgi-bridge',
      '@gu/worker-async',
      '@gu/worker-sync',
      '@gu/worker-threads',
    ]);
  });

  it('were announced with the line that installs core and the default worker class', () => {
    const output = inject('packOutput');
    expect(output).toContain(`Packed ${packages.length} packages into ${tarballs}`);
    expect(output).toContain(installLine(tarballs));
  });

  it.each(packages.map((pkg) => pkg.name))('%s: a manifest that installs outside the workspace', (name) => {
    const dir = unpack(name);
    const text = readFileSync(join(dir, 'package.json'), 'utf8');
    expect(text).not.toContain('workspace:');
    const manifest = JSON.parse(text) as Manifest;
    expect(manifest).toMatchObject({ name, license: 'MIT', engines: { node: rootEngines } });
    expect(manifest.files).toContain('CHANGELOG.md');
    if (name !== '@gu/core' && name !== '@gu/adapters') expect(manifest.peerDependencies?.['@gu/core']).toBe(`^${coreVersion}`);
    if (name === '@gu/adapters') expect(manifest.peerDependencies?.['@gu/core']).toBeUndefined();
  });

  it.each(packages.map((pkg) => pkg.name))('%s: its exports, with types, its README and LICENSE, and nothing else', (name) => {
    const dir = unpack(name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const root = manifest.exports?.['.'];
    expect(typeof root === 'object' && root.types).toMatch(/\.d\.ts$/);
    for (const target of exportTargets(manifest)) expect(existsSync(join(dir, target)), `${name} exports ${target}`).toBe(true);
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(rootLicense);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme.startsWith(`# ${name}\n`)).toBe(true);
    expect(readme).toMatch(/```(sh|ts|js)\n/);
    expect(readme).toContain('tooling/run pack');
    const top = execFileSync('tar', ['-tzf', join(tarballs, tarballName(name))], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((path) => path.split('/')[1]);
    expect(new Set(top)).toEqual(new Set(['dist', 'LICENSE', 'README.md', 'package.json', ...(existsSync(join(dir, 'CHANGELOG.md')) ? ['CHANGELOG.md'] : [])]));
  });

  it('@gu/core: the gu command, which npm makes executable', () => {
    const dir = unpack('@gu/core');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
    const bin = manifest.bin?.gu;
    expect(bin).toBe('./dist/cli/bin.js');
    expect(readFileSync(join(dir, bin!), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(join(dir, bin!)).isFile()).toBe(true);
  });
});
