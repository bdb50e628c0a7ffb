// PLACEHOLDER until fetch-style apps land (this session).
import type { AsgiApp, FetchApp } from '../types.js';

export function fetchToAsgi(_app: FetchApp): AsgiApp {
  throw new Error('fetch-style apps are not bridged yet');
}
