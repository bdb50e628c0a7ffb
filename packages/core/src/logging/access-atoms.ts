import type { AccessEntry } from './access-entry.js';
import { basicAuthUser } from './basic-auth-user.js';
import { formatAccessLogTime } from './time-format.js';

/** Produces the text of one `%(atom)s` placeholder for one request. */
export type AtomRenderer = (entry: AccessEntry) => string;

type HeaderValue = string | number | readonly string[] | undefined;

const missing = '-';

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Gunicorn's QUERY_STRING: the text after `?`, empty (not `-`) when there is none. */
function queryOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? '' : url.slice(query + 1);
}

function headerText(value: HeaderValue): string {
  if (value === undefined) return missing;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}

function firstHeader(value: HeaderValue): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : value[0];
}

/** Node lower-cases header names; the scan only serves headers set with another case by hand. */
function lookupCaseInsensitive<T>(record: Readonly<Record<string, T>>, lowerName: string): T | undefined {
  const direct = record[lowerName];
  if (direct !== undefined) return direct;
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === lowerName) return record[key];
  }
  return undefined;
}

const seconds = (entry: AccessEntry): number => Math.floor(entry.durationMicros / 1_000_000);

/**
 * The single-letter atoms of Gunicorn's `access_log_format` (gunicorn/glogging.py `atoms()`).
 * Deliberate difference: `U` is the raw path as received; Gunicorn prints the percent-decoded
 * PATH_INFO. `b` prints `-` for an empty body, as Apache's `%b`.
 */
export const letterAtoms: Readonly<Record<string, AtomRenderer>> = {
  h: (entry) => entry.remoteAddress || missing,
  l: () => missing,
  u: (entry) => basicAuthUser(firstHeader(entry.requestHeaders.authorization)) ?? missing,
  t: (entry) => formatAccessLogTime(entry.startedAt),
  r: (entry) => `${entry.method} ${entry.url} HTTP/${entry.httpVersion}`,
  m: (entry) => entry.method,
  U: (entry) => pathOf(entry.url),
  q: (entry) => queryOf(entry.url),
  H: (entry) => `HTTP/${entry.httpVersion}`,
  s: (entry) => String(entry.status),
  B: (entry) => String(entry.responseBytes),
  // Gunicorn prints '-' only when the size is unknown; gu always knows it, so an empty body is 0.
  b: (entry) => String(entry.responseBytes),
  f: (entry) => headerText(entry.requestHeaders.referer),
  a: (entry) => headerText(entry.requestHeaders['user-agent']),
  T: (entry) => String(seconds(entry)),
  M: (entry) => String(Math.floor(entry.durationMicros / 1000)),
  D: (entry) => String(entry.durationMicros),
  L: (entry) => `${seconds(entry)}.${String(entry.durationMicros % 1_000_000).padStart(6, '0')}`,
  p: (entry) => `<${entry.pid}>`,
};

/** Gunicorn reads `{name}e` from the WSGI environ, where this one says whether the request came over TLS. */
const URL_SCHEME = 'wsgi.url_scheme';

function environmentVariable(name: string): string | undefined {
  return process.env[name] ?? lookupCaseInsensitive(process.env, name.toLowerCase());
}

/**
 * `{name}i`, `{name}o`, `{name}e`: a request header, a response header, an environment variable
 * (read at each request, as the environment may change). Names match case-insensitively, as in Gunicorn.
 */
export const braceAtoms: Readonly<Record<string, (name: string) => AtomRenderer>> = {
  i: (name) => {
    const lowerName = name.toLowerCase();
    return (entry) => headerText(lookupCaseInsensitive(entry.requestHeaders, lowerName));
  },
  o: (name) => {
    const lowerName = name.toLowerCase();
    return (entry) => headerText(lookupCaseInsensitive(entry.responseHeaders, lowerName));
  },
  e: (name) => (name.toLowerCase() === URL_SCHEME ? (entry) => entry.scheme : () => environmentVariable(name) ?? missing),
};
