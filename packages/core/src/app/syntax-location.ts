import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The first lines of a decorated syntax error: `PATH:LINE`, the source line, a caret under the column. */
const locationLine = /^(?<where>(?:file:\/\/)?\S+?):(?<line>\d+)$/;
const caretLine = /^(?<pad>\s*)\^/;

/** `path:line[:column]` from text that starts with Node's decoration, or null. */
function locationAtStart(text: string): string | null {
  const [first = '', , caret = ''] = text.split('\n');
  const groups = locationLine.exec(first)?.groups;
  if (groups?.where === undefined) return null;
  const path = groups.where.startsWith('file://') ? fileURLToPath(groups.where) : groups.where;
  const pad = caretLine.exec(caret)?.groups?.pad;
  return `${path}:${groups.line}${pad === undefined ? '' : `:${pad.length + 1}`}`;
}

/** A parse failure stops inside Node's loader; a SyntaxError the app threw (JSON.parse) has its own frames. */
function thrownByCompiler(stack: string): boolean {
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.every((frame) => /\(node:|at node:/.test(frame));
}

/**
 * Node keeps an ES module's syntax error location out of the error it throws (it only prints it
 * for an uncaught one): ask `node --check`, which prints it. Only on this failure path, once.
 */
function locationFromCheck(file: string): string | null {
  // No execArgv: gu's own may hold `-e` or loader flags that have no business in a syntax check.
  const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? null : locationAtStart(result.stderr);
}

/**
 * Where the SyntaxError thrown while importing `file` is, as ` (at PATH:LINE:COLUMN)` for the
 * one-line app-load message; empty for other errors. CommonJS and TypeScript errors carry it in
 * their stack; for ESM it comes from `node --check`, which sees the entry file only: a module it
 * imports is then named as the place to look.
 */
export function syntaxErrorLocation(error: unknown, file: string): string {
  if (!(error instanceof SyntaxError)) return '';
  const stack = error.stack ?? '';
  const decorated = locationAtStart(stack);
  if (decorated !== null) return ` (at ${decorated})`;
  if (!thrownByCompiler(stack)) return '';
  const location = locationFromCheck(file);
  return location === null ? ` (in a module ${file} imports; Node does not say which)` : ` (at ${location})`;
}
