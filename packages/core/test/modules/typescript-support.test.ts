import { describe, expect, it } from 'vitest';
import { typeScriptRefusal, typeScriptRefusalHere } from '../../src/modules/typescript-support.js';

describe('typeScriptRefusal', () => {
  it.each([
    ['22.12.0', '22.18'],
    ['22.14.0', '22.18'],
    ['22.17.1', '22.18'],
    ['23.5.0', '23.6'],
  ])('refuses a .ts file on Node %s, which strips no types by default: one line naming %s and what to change', (version, needed) => {
    const refusal = typeScriptRefusal('/srv/app/app.ts', version, false);
    expect(refusal).toBe(`app.ts needs Node >= ${needed} to load TypeScript (found ${version}); use a .js file or upgrade Node`);
  });

  it.each(['22.18.0', '22.20.1', '23.6.0', '24.21.0', '25.0.0'])('accepts a .ts file on Node %s, which strips types', (version) => {
    expect(typeScriptRefusal('/srv/app/app.ts', version, 'strip')).toBeNull();
  });

  it('accepts an older Node that strips types because it was asked to (--experimental-strip-types)', () => {
    expect(typeScriptRefusal('/srv/app/gu.config.ts', '22.14.0', 'strip')).toBeNull();
    expect(typeScriptRefusal('/srv/app/gu.config.ts', '22.14.0', 'transform')).toBeNull();
  });

  it('on a Node new enough but with stripping turned off, names that instead of an upgrade', () => {
    expect(typeScriptRefusal('/srv/app/gu.config.ts', '24.21.0', false)).toMatch(
      /^gu\.config\.ts is TypeScript, and this Node \(24\.21\.0\) runs with type stripping turned off .*; use a \.js file or drop that flag$/,
    );
  });

  it.each(['app.mts', 'app.cts'])('applies to %s too', (name) => {
    expect(typeScriptRefusal(`/srv/${name}`, '22.14.0', false)).toMatch(new RegExp(`^${name.replace('.', '\\.')} needs Node >= 22.18`));
  });

  it.each(['app.js', 'app.mjs', 'app.cjs', 'app.tsx.js'])('leaves %s alone on any Node', (name) => {
    expect(typeScriptRefusal(`/srv/${name}`, '22.12.0', false)).toBeNull();
  });

  it('accepts .ts on the Node running this test (24, which strips types)', () => {
    expect(typeScriptRefusalHere('/srv/app.ts')).toBeNull();
  });
});
