import { expect, test } from 'vitest';
import { adaptersVersion } from '../src/index.js';

test('the package builds and exports its entry', () => {
  expect(adaptersVersion).toMatch(/^\d+\.\d+\.\d+$/);
});
