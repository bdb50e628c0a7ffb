import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderSettingsReference } from '../../src/settings/load-settings.js';
import { registry, settingKeys } from '../../src/settings/registry.js';

const docsPath = new URL('../../../../docs/settings.md', import.meta.url);

describe('docs/settings.md', () => {
  it('is what the registry renders', () => {
    const committed = existsSync(docsPath) ? readFileSync(docsPath, 'utf8') : '(missing)';
    expect(
      committed === renderSettingsReference(),
      'docs/settings.md is out of date with src/settings/registry.ts: run `pnpm --filter @gu/core build && pnpm --filter @gu/core docs:settings`',
    ).toBe(true);
  });

  it('documents every setting with its flags and config key', () => {
    const text = renderSettingsReference();
    for (const key of settingKeys) {
      const { name, flags, inConfigFile } = registry[key];
      expect(text).toContain(`### ${name}\n`);
      for (const flag of flags) expect(text).toContain(`\`${flag}`);
      if (inConfigFile !== false) expect(text).toContain(`- Config file key: \`${key}\``);
    }
  });
});
