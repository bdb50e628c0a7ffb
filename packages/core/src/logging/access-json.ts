import type { AccessEntry } from './access-entry.js';
import { basicAuthUser } from './basic-auth-user.js';

type HeaderValue = AccessEntry['requestHeaders'][string];

/** The value `access_log_format` takes to write one JSON object per request instead of a text line. */
export const JSON_ACCESS_FORMAT = 'json';

export function isJsonAccessFormat(format: string): boolean {
  return format.trim().toLowerCase() === JSON_ACCESS_FORMAT;
}

function firstValue(value: HeaderValue): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : (value[0] ?? null);
}

function splitTarget(url: string): { path: string; query: string } {
  const mark = url.indexOf('?');
  return mark === -1 ? { path: url, query: '' } : { path: url.slice(0, mark), query: url.slice(mark + 1) };
}

/**
 * One request as a JSON line for log shippers: the access atoms as named fields (the atom each one
 * matches is in the comment), numbers as numbers, an absent value as null rather than `-`, and the
 * time in ISO 8601 (UTC, milliseconds).
 */
export function formatJsonAccessLine(entry: AccessEntry): string {
  const { path, query } = splitTarget(entry.url);
  return JSON.stringify({
    time: entry.startedAt.toISOString(), // t
    remote_addr: entry.remoteAddress || null, // h
    user: basicAuthUser(firstValue(entry.requestHeaders.authorization) ?? undefined) ?? null, // u
    request: `${entry.method} ${entry.url} HTTP/${entry.httpVersion}`, // r
    method: entry.method, // m
    path, // U
    query, // q
    protocol: `HTTP/${entry.httpVersion}`, // H
    status: entry.status, // s
    bytes: entry.responseBytes, // B
    referer: firstValue(entry.requestHeaders.referer), // f
    user_agent: firstValue(entry.requestHeaders['user-agent']), // a
    duration_us: entry.durationMicros, // D
    duration: entry.durationMicros / 1_000_000, // L
    pid: entry.pid, // p
    scheme: entry.scheme, // {wsgi.url_scheme}e
  });
}
