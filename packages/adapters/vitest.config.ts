import { defineConfig } from 'vitest/config';
import { guVitestDefaults } from '@gu/config/vitest';

export default defineConfig({ test: { ...guVitestDefaults } });
