// Shared vitest settings: tests live in test/, compiled output in dist/ is never collected twice.
import { basename } from 'node:path';

const resultsDir = process.env.GU_TEST_RESULTS;

/** @type {import('vitest/config').ViteUserConfig['test']} */
export const guVitestDefaults = {
  include: ['test/**/*.test.ts'],
  exclude: ['dist/**', 'node_modules/**'],
  testTimeout: 20_000,
  hookTimeout: 20_000,
  // Tests spawn real servers; two cores are shared between them.
  maxWorkers: 2,
  // tooling/run check gathers a JSON report per package for its closing summary line.
  reporters: resultsDir ? ['default', 'json'] : ['default'],
  outputFile: resultsDir ? { json: `${resultsDir}/${basename(process.cwd())}.json` } : undefined,
};
