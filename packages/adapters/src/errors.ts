/**
 * The errors @gu/adapters raises. They carry `code: 'GU_ERR_APP_LOAD'`, which gu recognises by its
 * code (this package does not depend on @gu/core): the worker exits 4 and the arbiter prints the
 * one-line message once, instead of respawning workers that would fail the same way.
 */
export const APP_LOAD_CODE = 'GU_ERR_APP_LOAD';

export interface AppLoadFailure extends Error {
  readonly code: typeof APP_LOAD_CODE;
}

/** `Cannot load app "app.js:app": REASON` as gu writes it; without a spec, the package speaks. */
export function appLoadFailure(spec: string | undefined, reason: string, cause?: unknown): AppLoadFailure {
  const prefix = spec === undefined ? '@gu/adapters cannot serve this app' : `Cannot load app "${spec}"`;
  const error = new Error(`${prefix}: ${reason}`, cause === undefined ? undefined : { cause });
  error.name = 'AppLoadError';
  return Object.assign(error, { code: APP_LOAD_CODE } as const);
}

const shownKeys = 8;

function describeObject(value: object): string {
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof (value as { then?: unknown }).then === 'function') return 'a Promise';
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an object with no keys';
  return `an object with keys ${keys.slice(0, shownKeys).join(', ')}${keys.length > shownKeys ? ', …' : ''}`;
}

/** What was found where an app was expected, in words for an error message. */
export function describeFound(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'object') return describeObject(value);
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  return typeof value;
}
