import { defineConfig } from 'vitest/config';
import { guVitestDefaults } from '@gu/config/vitest';

// The harness is plain JavaScript (.mjs): so are its tests.
export default defineConfig({ test: { ...guVitestDefaults, include: ['test/**/*.test.mjs'] } });
