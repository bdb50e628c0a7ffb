import { appLoadFailure } from './app-load-failure.js';

/** Copies a double-quoted string as it is, so that a `'` inside it starts nothing. */
function copyDoubleQuoted(text: string, start: number): { json: string; end: number } {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  return { json: text.slice(start, index + 1), end: index + 1 };
}

/** Rewrites a single-quoted string as a JSON string: `\'` becomes `'`, a bare `"` is escaped. */
function convertSingleQuoted(text: string, start: number): { json: string; end: number } | null {
  let json = '"';
  let index = start + 1;
  while (index < text.length && text[index] !== "'") {
    const char = text[index] ?? '';
    if (char === '\\') {
      const escaped = text[index + 1] ?? '';
      json += escaped === "'" ? "'" : `\\${escaped}`;
      index += 2;
    } else {
      json += char === '"' ? '\\"' : char;
      index += 1;
    }
  }
  return index < text.length ? { json: `${json}"`, end: index + 1 } : null;
}

function toJson(argumentText: string): string | null {
  let json = '';
  let index = 0;
  while (index < argumentText.length) {
    const char = argumentText[index] ?? '';
    const quoted =
      char === '"' ? copyDoubleQuoted(argumentText, index)
      : char === "'" ? convertSingleQuoted(argumentText, index)
      : undefined;
    if (quoted === null) return null;
    if (quoted === undefined) {
      json += char;
      index += 1;
    } else {
      json += quoted.json;
      index = quoted.end;
    }
  }
  return json;
}

/**
 * The arguments of `module:factory(...)`: JSON values (strings, numbers, true, false, null, arrays,
 * objects), where strings may also be single-quoted as in Gunicorn's Python literals. Anything else
 * (identifiers, expressions, keyword arguments) is refused: the spec is data, never code.
 */
export function parseFactoryArguments(argumentText: string, spec: string): unknown[] {
  const reason = `the arguments (${argumentText}) are not JSON-like literals (strings, numbers, true, false, null, arrays, objects)`;
  const json = toJson(argumentText);
  if (json === null) throw appLoadFailure(spec, `${reason}: unterminated string`);
  try {
    return JSON.parse(`[${json}]`) as unknown[];
  } catch (error) {
    throw appLoadFailure(spec, `${reason}: ${error instanceof Error ? error.message : String(error)}`, error);
  }
}
