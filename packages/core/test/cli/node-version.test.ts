import { describe, expect, it } from 'vitest';
import { unsupportedNodeMessage } from '../../src/cli/node-version.js';

describe('unsupportedNodeMessage', () => {
  it.each([
    ['20.20.2', '>=22.12'],
    ['22.11.9', '>=22.12'],
    ['22.12.0', '>=22.12.1'],
    ['9.0.0', '>=22'],
  ])('refuses Node %s for engines %s, naming both versions', (found, engines) => {
    const message = unsupportedNodeMessage(found, engines, '/usr/bin/node');
    expect(message).toContain(`this is Node ${found} (/usr/bin/node)`);
    expect(message).toContain(`gu needs Node ${engines.slice(2)} or newer`);
  });

  it.each([
    ['22.12.0', '>=22.12'],
    ['22.13.0', '>=22.12'],
    ['23.0.0', '>=22.12'],
    ['24.21.0', '>= 22.12.0'],
    ['100.0.0', '>=22.12'],
  ])('accepts Node %s for engines %s', (found, engines) => {
    expect(unsupportedNodeMessage(found, engines, '/usr/bin/node')).toBeNull();
  });

  it('refuses an engines range it cannot read, rather than letting any Node through', () => {
    expect(() => unsupportedNodeMessage('24.0.0', '^22.12 || >=24', 'node')).toThrow(/engines.node must read/);
  });
});
