/**
 * The Node version check of the `gu` entry (bin.ts). It runs on the Node it may refuse, so it keeps
 * to what Node 14.8 parses (ES2020 and top-level await in bin.ts) and to APIs that old Nodes have.
 */

/** `MAJOR.MINOR.PATCH` as numbers; missing parts count as 0. */
function parseVersion(text: string): number[] {
  return [0, 1, 2].map((index) => Number.parseInt(text.split('.')[index] ?? '0', 10) || 0);
}

function isOlder(found: number[], needed: number[]): boolean {
  const differs = [0, 1, 2].find((index) => found[index] !== needed[index]);
  return differs !== undefined && (found[differs] ?? 0) < (needed[differs] ?? 0);
}

/** Whether Node `found` (`22.14.0`) is older than `needed` (`22.18`). */
export function isNodeOlderThan(found: string, needed: string): boolean {
  return isOlder(parseVersion(found), parseVersion(needed));
}

/** `>=22.12`: the only form of @gu/core's `engines.node`. */
const minimumRange = /^>=\s*(\d+(?:\.\d+){0,2})$/;

/**
 * The one line that refuses the running Node (`found`: process.versions.node) when it is older than
 * `engines` (@gu/core's `engines.node`), naming both versions; null when it is recent enough.
 */
export function unsupportedNodeMessage(found: string, engines: string, execPath: string): string | null {
  const needed = minimumRange.exec(engines.trim())?.[1];
  if (needed === undefined) throw new Error(`@gu/core's engines.node must read ">=MAJOR.MINOR", not "${engines}"`);
  if (!isNodeOlderThan(found, needed)) return null;
  return `gu: error: gu needs Node ${needed} or newer, and this is Node ${found} (${execPath}): put a newer Node first on PATH`;
}
