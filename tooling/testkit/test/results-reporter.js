// A node:test reporter that prints nothing and, when GU_TEST_RESULTS is set (tooling/run check),
// writes the counts of this package's tests in the fields of vitest's JSON report that
// tooling/summarize-tests.mjs adds up, so that the closing summary line counts them too.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

export default async function* resultsReporter(source) {
  const counts = { numTotalTests: 0, numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.details?.type === 'suite') continue;
    counts.numTotalTests += 1;
    if (event.data.skip) counts.numPendingTests += 1;
    else if (event.data.todo) counts.numTodoTests += 1;
    else if (event.type === 'test:pass') counts.numPassedTests += 1;
    else counts.numFailedTests += 1;
  }
  const dir = process.env.GU_TEST_RESULTS;
  if (dir) writeFileSync(join(dir, `${basename(process.cwd())}.json`), `${JSON.stringify(counts)}\n`);
  yield '';
}
