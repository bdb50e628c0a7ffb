// The request corpus's tables: which Gunicorn settings gu maps, which it lacks (cases needing them
// are skipped, naming the setting), where gu deliberately answers otherwise than Gunicorn, and the
// known gaps. Every entry says why; docs/http-conformance.md gives the same lists to users.
import type { CorpusCase, CorpusRequest } from '../support/request-corpus.js';

/** What a case must produce on gu. */
export type Outcome =
  /** Every expected request reaches the app exactly as listed (`requests` overrides the corpus's). */
  | { kind: 'identical'; requests?: CorpusRequest[] }
  /** Nothing reaches the app; the client gets a 4xx, and the connection is closed. */
  | { kind: 'rejected' }
  /** Nothing reaches the app; the connection is closed without an answer. */
  | { kind: 'closed' }
  /** The first `accepted` expected requests reach the app exactly; what follows is rejected. */
  | { kind: 'prefix'; accepted: number }
  /** The app is called with the head, then the body is cut short (the request errors or aborts). */
  | { kind: 'head-then-cut' }
  /** The app gets the whole request although Gunicorn rejects it. */
  | { kind: 'accepted' };

export interface Exception {
  readonly reason: string;
  readonly outcome: Outcome;
}

/** Gunicorn settings gu has, as the gu command-line flags a case's `config` maps to. */
export const guFlags: Readonly<Record<string, (value: unknown) => string[]>> = {
  limit_request_line: (value) => ['--limit-request-line', String(value)],
  limit_request_fields: (value) => ['--limit-request-fields', String(value)],
  limit_request_field_size: (value) => ['--limit-request-field_size', String(value)],
  forwarded_allow_ips: (value) => ['--forwarded-allow-ips', String(value)],
  // The corpus writes Gunicorn's old switch (True); Gunicorn 24.1+ reads True as `auto`.
  proxy_protocol: (value) => ['--proxy-protocol', value === true ? 'auto' : value === false ? 'off' : String(value)],
};

const NO_SWITCH = 'llhttp (strict) has no switch for it';

/** Gunicorn settings gu does not have (yet), and why: a case that sets one is skipped, naming it. */
export const missingSettings: Readonly<Record<string, string>> = {
  header_map: 'gu passes header names as sent (see valid/040); there is no setting to drop or refuse underscores',
  permit_obsolete_folding: `obsolete line folding is always rejected (RFC 9112 5.2); ${NO_SWITCH}`,
  strip_header_spaces: `whitespace before a header colon is always rejected (RFC 9112 5.1); ${NO_SWITCH}`,
  permit_unconventional_http_method: `llhttp accepts only the methods it knows; ${NO_SWITCH}`,
  casefold_http_method: `llhttp accepts only the methods it knows; ${NO_SWITCH}`,
};

/** Why a case is skipped, or undefined when it runs. */
export function skipReason(corpusCase: CorpusCase): string | undefined {
  const missing = Object.keys(corpusCase.config).filter((name) => !(name in guFlags));
  if (missing.length === 0) return undefined;
  const unknown = missing.filter((name) => !(name in missingSettings));
  if (unknown.length > 0) throw new Error(`${corpusCase.name}: map Gunicorn setting(s) ${unknown.join(', ')} in request-corpus.expectations.ts`);
  return `needs ${missing.join(' + ')}: ${[...new Set(missing.map((name) => missingSettings[name]))].join('; ')}`;
}

/** The gu flags for a case's config (all its settings are in guFlags once skipReason is undefined). */
export function flagsFor(corpusCase: CorpusCase): string[] {
  return Object.entries(corpusCase.config).flatMap(([name, value]) => guFlags[name]?.(value) ?? []);
}

const HOST = { kind: 'rejected', reason: 'an HTTP/1.1 request without Host is answered 400 (RFC 9112 3.2: a server MUST); Gunicorn accepts it' } as const;

const PROXY_CLOSED = 'a malformed PROXY header closes the connection without an answer, with a warning in the error log: no HTTP has been read, and the peer is a proxy, not a client to answer (Gunicorn answers 400)';

/** Valid cases rejected only for their missing Host: they also run with one added (withHost). */
export const hostRequiredCases: readonly string[] = ['004', '005', '006', '007', '009', '010', '011', '012', '013', '014', '018', '021', '023', '025', '025_line', '029', '030', '100'].map((id) => `valid/${id}`);

/** How those cases fare with a Host added, where it is not `identical`. */
export const withHostDifferences: Readonly<Record<string, Exception>> = {
  'valid/009': { reason: 'Content-Length with Transfer-Encoding: identity is rejected by llhttp (RFC 9112 6.1 lets a server reject CL with TE; "identity" is no longer a transfer coding)', outcome: { kind: 'rejected' } },
  'valid/013': { reason: 'whitespace around ";" in chunk extensions ("5; some") is rejected by llhttp strict mode, though RFC 9112 7.1.1 allows it there (the chunked body is held from the app until it is complete, so the app never sees the request)', outcome: { kind: 'rejected' } },
};

/** Valid cases gu deliberately answers otherwise than Gunicorn. */
export const deliberateDifferences: Readonly<Record<string, Exception>> = {
  ...Object.fromEntries(hostRequiredCases.map((name) => [name, { reason: HOST.reason, outcome: { kind: HOST.kind } }])),
  'valid/022': { reason: `pipelined: the keep-alive HTTP/1.0 request is served, the next is HTTP/1.1 without Host; ${HOST.reason}`, outcome: { kind: 'prefix', accepted: 1 } },
  'valid/027': { reason: 'a raw non-ASCII byte in the request-target is rejected by llhttp (RFC 3986 allows only ASCII; send it percent-encoded)', outcome: { kind: 'rejected' } },
  'valid/031': { reason: `a method llhttp does not know ("-BLARGH") is rejected; ${NO_SWITCH}`, outcome: { kind: 'rejected' } },
  'valid/040': {
    reason: 'header names with "_" are passed to the app as sent (Gunicorn drops them by default, header_map=drop): a Node app reads headers by their own name, with no WSGI environ where "-" and "_" collide',
    outcome: { kind: 'identical', requests: [{ method: 'GET', uri: '/keep/same/as?invalid/040', version: '1.0', headers: [['TRANSFER_ENCODING', 'tricked'], ['CONTENT-LENGTH', '7'], ['CONTENT_LENGTH', '-1E23']], body_b64: Buffer.from('tricked').toString('base64'), trailers: [] }] },
  },
  'valid/099': { reason: 'the corpus sends 8599 body bytes under Content-Length: 17914: the app gets the head and those bytes, then the request aborts when the client closes (Gunicorn\'s harness reads only what was sent)', outcome: { kind: 'head-then-cut' } },
  'valid/rfc9112_target_authority_connect_01': { reason: 'CONNECT is not served: node:http hands it to a "connect" event, which gu does not serve (gu is not a forward proxy), and closes the connection', outcome: { kind: 'closed' } },
  'valid/rfc9112_target_authority_ipv6_01': { reason: 'CONNECT is not served (as rfc9112_target_authority_connect_01)', outcome: { kind: 'closed' } },
  // proxy_protocol: a malformed header is closed without an answer (and logged), Gunicorn answers 400.
  ...Object.fromEntries(['invalid/pp_01', 'invalid/pp_02', 'invalid/pp_03'].map((name) => [name, { reason: PROXY_CLOSED, outcome: { kind: 'closed' } }])),
  'valid/pp_02': { reason: `after its PROXY header, an HTTP/1.1 request without Host; ${HOST.reason}`, outcome: { kind: 'rejected' } },
};

/** Invalid cases that still reach the app. */
export const knownGaps: Readonly<Record<string, Exception>> = {};

/** The outcome a case must produce, and why when it is not Gunicorn's. */
export function expectationFor(corpusCase: CorpusCase): Exception {
  const listed = deliberateDifferences[corpusCase.name] ?? knownGaps[corpusCase.name];
  if (listed) return listed;
  return corpusCase.valid ? { reason: 'as Gunicorn', outcome: { kind: 'identical' } } : { reason: 'as Gunicorn', outcome: { kind: 'rejected' } };
}

const SYNC_CLOSES = 'pipelined: the sync worker answers the first request with `Connection: close` and closes, as Gunicorn\'s sync worker does; the requests behind it are never processed (RFC 9112 9.6)';

/**
 * Under `-k sync`: what the default worker's expectation (`expected`) says, except that a connection
 * carries one request. Where the app would see several pipelined requests, it sees the first exactly
 * and nothing else.
 */
export function syncExpectationFor(corpusCase: CorpusCase, expected = expectationFor(corpusCase)): Exception {
  const { outcome } = expected;
  const requests = outcome.kind === 'identical' ? (outcome.requests ?? corpusCase.requests ?? []) : [];
  if (requests.length > 1) return { reason: SYNC_CLOSES, outcome: { kind: 'identical', requests: requests.slice(0, 1) } };
  if (outcome.kind === 'prefix' && outcome.accepted >= 1) {
    return { reason: `${SYNC_CLOSES}; on the default worker: ${expected.reason}`, outcome: { kind: 'identical', requests: (corpusCase.requests ?? []).slice(0, 1) } };
  }
  return expected;
}

const ASGI_VIEW = 'ASGI shows the target as raw_path and query_string (the path component of an absolute-form target, no fragment) and has no request trailers';

/** The target as an ASGI app rebuilds it from `raw_path` and `query_string`. */
function asgiTarget(uri: string): string {
  const scheme = uri.startsWith('/') ? -1 : uri.indexOf('://');
  const authorityEnd = scheme > 0 ? uri.slice(scheme + 3).search(/[/?#]/) : -1;
  const start = scheme <= 0 ? 0 : authorityEnd < 0 ? uri.length : scheme + 3 + authorityEnd;
  const fragment = uri.indexOf('#', start);
  const target = uri.slice(start, fragment < 0 ? uri.length : fragment);
  const [path = '', query = ''] = target.split(/\?(.*)/s);
  const rawPath = start > 0 && path === '' ? '/' : path;
  return query === '' ? rawPath : `${rawPath}?${query}`;
}

function asgiView(request: CorpusRequest): CorpusRequest {
  return { ...request, uri: asgiTarget(request.uri), trailers: [] };
}

/**
 * Under `-k asgi` (the corpus's app written to ASGI): what the default worker's expectation says,
 * the requests seen as an ASGI app sees them (ASGI_VIEW).
 */
export function asgiExpectationFor(corpusCase: CorpusCase, expected = expectationFor(corpusCase)): Exception {
  const { outcome } = expected;
  if (outcome.kind !== 'identical') return expected;
  const requests = outcome.requests ?? corpusCase.requests ?? [];
  const viewed = requests.map(asgiView);
  if (viewed.every((request, i) => request.uri === requests[i]?.uri && requests[i].trailers.length === 0)) return expected;
  const reason = expected.reason === 'as Gunicorn' ? ASGI_VIEW : `${expected.reason}; ${ASGI_VIEW}`;
  return { reason, outcome: { kind: 'identical', requests: viewed } };
}
