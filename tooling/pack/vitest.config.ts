import { defineConfig } from 'vitest/config';
import { guVitestDefaults } from '@gu/config/vitest';

export default defineConfig({
  test: {
    ...guVitestDefaults,
    // Packs once, as `tooling/run pack` does; every test installs from those tarballs.
    globalSetup: ['test/global-setup.ts'],
    // npm installs from the registry (express) and of the tarballs take seconds each.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
