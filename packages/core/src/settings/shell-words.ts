import { InvalidSettingError } from '../errors.js';

const EXPECTED = 'arguments split like a shell, with balanced quotes';

/** Characters a backslash escapes inside double quotes (POSIX, as Python's shlex). */
const ESCAPABLE_IN_DOUBLE_QUOTES = new Set(['"', '\\']);

interface Cursor {
  readonly line: string;
  index: number;
}

function fail(line: string): never {
  throw new InvalidSettingError('GU_CMD_ARGS', line, EXPECTED);
}

function readSingleQuoted(cursor: Cursor): string {
  const end = cursor.line.indexOf("'", cursor.index);
  if (end === -1) fail(cursor.line);
  const quoted = cursor.line.slice(cursor.index, end);
  cursor.index = end + 1;
  return quoted;
}

function readDoubleQuoted(cursor: Cursor): string {
  let quoted = '';
  for (;;) {
    const char = cursor.line[cursor.index++];
    if (char === undefined) fail(cursor.line);
    if (char === '"') return quoted;
    const next = cursor.line[cursor.index];
    if (char === '\\' && next !== undefined && ESCAPABLE_IN_DOUBLE_QUOTES.has(next)) {
      quoted += next;
      cursor.index++;
    } else {
      quoted += char;
    }
  }
}

function readEscaped(cursor: Cursor): string {
  const char = cursor.line[cursor.index++];
  return char ?? fail(cursor.line);
}

const readers: Readonly<Record<string, (cursor: Cursor) => string>> = {
  "'": readSingleQuoted,
  '"': readDoubleQuoted,
  '\\': readEscaped,
};

/**
 * Splits a string into arguments the way a POSIX shell (and Gunicorn's `shlex.split` of
 * GUNICORN_CMD_ARGS) does: whitespace separates, single quotes are literal, double quotes allow
 * `\"` and `\\`, a backslash outside quotes escapes the next character. Nothing is expanded.
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  const cursor: Cursor = { line, index: 0 };
  let word: string | null = null;
  while (cursor.index < line.length) {
    const char = line.charAt(cursor.index++);
    const reader = readers[char];
    if (reader) {
      word = (word ?? '') + reader(cursor);
    } else if (/\s/.test(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== null) words.push(word);
  return words;
}
