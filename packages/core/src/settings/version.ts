import { readFileSync } from 'node:fs';

/** @gu/core's version, read from its package.json (two levels up from both src/settings and dist/settings). */
export function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : 'unknown';
}

/** The `--version` line, worded as Gunicorn's: `gu (version 1.2.3)`. */
export function versionText(): string {
  return `gu (version ${readVersion()})`;
}
