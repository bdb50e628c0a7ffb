import { InvalidSettingError } from '../errors.js';
import type { AccessEntry } from './access-entry.js';
import { braceAtoms, letterAtoms, type AtomRenderer } from './access-atoms.js';
import { formatJsonAccessLine, isJsonAccessFormat } from './access-json.js';

/** One access-log line from one request. */
export type AccessLineFormatter = (entry: AccessEntry) => string;

type Part = string | AtomRenderer;

/** `%(key)s`, with Python's optional left-align flag and width; `d` and `i` print as `s` does. */
const placeholderPattern = /^%\((?<key>[^)]*)\)(?<leftAlign>-?)(?<width>\d*)[sdi]/;
const braceKeyPattern = /^\{(?<name>.*)\}(?<kind>[A-Za-z])$/;

const printsMissing: AtomRenderer = () => '-';

/**
 * Unknown keys print `-`, as Gunicorn's SafeAtoms (a dict whose lookup of an absent key returns `-`),
 * for plain keys (`%(zz)s`) and brace keys (`%({x}z)s`) alike.
 */
function rendererFor(key: string): AtomRenderer {
  if (Object.hasOwn(letterAtoms, key)) return letterAtoms[key] ?? printsMissing;
  const brace = braceKeyPattern.exec(key)?.groups;
  const kind = brace?.kind?.toLowerCase();
  if (brace?.name === undefined || kind === undefined || !Object.hasOwn(braceAtoms, kind)) return printsMissing;
  return braceAtoms[kind]?.(brace.name) ?? printsMissing;
}

/** Gunicorn escapes `"` in every value, so a header cannot close the quotes of the format around it. */
function escapingQuotes(render: AtomRenderer): AtomRenderer {
  return (entry) => {
    const text = render(entry);
    return text.includes('"') ? text.replaceAll('"', '\\"') : text;
  };
}

function padded(render: AtomRenderer, width: number, leftAlign: boolean): AtomRenderer {
  if (width === 0) return render;
  return leftAlign ? (entry) => render(entry).padEnd(width) : (entry) => render(entry).padStart(width);
}

function invalidFormat(format: string, offset: number): InvalidSettingError {
  return new InvalidSettingError(
    'accessLogFormat',
    format,
    `%(atom)s placeholders such as %(h)s or %({header}i)s, and %% for a literal %; bad placeholder at offset ${offset}`,
  );
}

function parse(format: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let index = 0;
  while (index < format.length) {
    const percent = format.indexOf('%', index);
    if (percent === -1) {
      literal += format.slice(index);
      break;
    }
    literal += format.slice(index, percent);
    if (format[percent + 1] === '%') {
      literal += '%';
      index = percent + 2;
      continue;
    }
    const match = placeholderPattern.exec(format.slice(percent));
    if (match?.groups === undefined) throw invalidFormat(format, percent);
    const { key = '', leftAlign, width } = match.groups;
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(padded(escapingQuotes(rendererFor(key)), Number(width), leftAlign === '-'));
    index = percent + match[0].length;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

/**
 * Compiles Gunicorn's `access_log_format` (Python `%(atom)s` syntax) once into a list of literal
 * texts and renderers, so that formatting a request is one pass over that list.
 * Throws InvalidSettingError (`accessLogFormat`) for a `%` that starts no placeholder, where Gunicorn
 * would fail at each request instead. The word `json` instead of a format gives one JSON object per
 * request (access-json.ts).
 */
export function compileAccessLogFormat(format: string): AccessLineFormatter {
  if (isJsonAccessFormat(format)) return formatJsonAccessLine;
  const parts = parse(format);
  return (entry) => {
    let line = '';
    for (const part of parts) line += typeof part === 'string' ? part : part(entry);
    return line;
  };
}
