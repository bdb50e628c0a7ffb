import { defineConfig } from 'vitest/config';
import { guVitestDefaults } from '@gu/config/vitest';

// One file at a time: test/slow-clients-load.test.ts measures a p99 under 50 ms on a 2-core machine,
// which another test file loading the same cores at the same moment would measure instead.
export default defineConfig({ test: { ...guVitestDefaults, fileParallelism: false } });
