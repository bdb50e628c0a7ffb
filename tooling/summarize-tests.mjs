// Adds up the vitest JSON reports of every package into one closing line, and fails when a package
// ran no test at all (a suite that silently collects nothing must not pass).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const reports = readdirSync(dir).filter((name) => name.endsWith('.json'));
let passed = 0;
let failed = 0;
let skipped = 0;
const empty = [];
for (const name of reports) {
  const report = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (report.numTotalTests === 0) empty.push(name);
  console.log(`${name.replace(/\.json$/, '')}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
if (reports.length === 0 || empty.length > 0) {
  console.error(`no tests ran in: ${empty.join(', ') || 'any package'}`);
  process.exitCode = 1;
}
if (failed > 0) process.exitCode = 1;
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
