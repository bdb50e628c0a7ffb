import { AppLoadError } from '../errors.js';

/** The one line every app-loading failure shows: the spec as the user typed it, then the reason. */
export function appLoadFailure(spec: string, reason: string, cause?: unknown): AppLoadError {
  return new AppLoadError(`Cannot load app "${spec}": ${reason}`, cause === undefined ? undefined : { cause });
}

/** The first line of what was thrown: enough for the one-line message; the whole error stays as `cause`. */
export function firstLineOf(thrown: unknown): string {
  const text = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
  const newline = text.indexOf('\n');
  return newline === -1 ? text : text.slice(0, newline);
}
