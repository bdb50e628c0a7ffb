import type { IncomingMessage } from 'node:http';

/**
 * What node:http (llhttp, strict mode) lets through but Gunicorn 26 rejects, decided from the parsed
 * head alone: these run before the app (and its hooks) see the request. Body-level problems (chunk
 * sizes, forbidden trailers) cannot be caught here, since node:http calls the handler before the body
 * is parsed; see docs/http-conformance.md.
 */

/** The few header facts the checks need, gathered in one pass over `rawHeaders`. */
export interface HeadFacts {
  readonly hosts: number;
  readonly contentTypes: number;
  /** Every Content-Length value, as sent. */
  readonly contentLengths: readonly string[];
  readonly transferEncodings: number;
}

export interface RequestCheck {
  /** A short name, also the reason logged for a rejected request. */
  readonly name: string;
  /** The corpus cases (test/fixtures/corpus) this check is the one to reject. */
  readonly corpusCases: readonly string[];
  /** True when the request must be rejected. */
  readonly rejects: (req: IncomingMessage, head: HeadFacts) => boolean;
}

export const requestChecks: readonly RequestCheck[] = [
  {
    // llhttp reads any single digit pair; only HTTP/1.0 and 1.1 can arrive on an HTTP/1 connection.
    name: 'unsupported HTTP version',
    corpusCases: ['invalid/version_02'],
    rejects: (req) => req.httpVersionMajor !== 1 || req.httpVersionMinor > 1,
  },
  {
    // RFC 9112 3.2.4: the asterisk form is for a server-wide OPTIONS only.
    name: 'asterisk target without OPTIONS',
    corpusCases: ['invalid/rfc9112_target_asterisk_non_options_01'],
    rejects: (req) => req.url === '*' && req.method !== 'OPTIONS',
  },
  {
    // RFC 9112 3.2: a server MUST answer 400 (node:http's requireHostHeader, turned off in the front
    // so that this refusal lingers as the others do). Gunicorn accepts it: no corpus case to name.
    name: 'missing Host',
    corpusCases: [],
    rejects: (req, head) => head.hosts === 0 && req.httpVersionMinor === 1,
  },
  {
    // Two Hosts let a proxy and the app each route by a different one.
    name: 'duplicate Host',
    corpusCases: ['invalid/042'],
    rejects: (_req, head) => head.hosts > 1,
  },
  {
    // node:http keeps only the first Content-Type in req.headers; a proxy may have used the other.
    name: 'duplicate Content-Type',
    corpusCases: ['invalid/041'],
    rejects: (_req, head) => head.contentTypes > 1,
  },
  {
    // llhttp rejects every repeated Content-Length today; kept so the guarantee does not rest on
    // the parser's flags (insecureHTTPParser lifts it).
    name: 'conflicting Content-Length',
    corpusCases: ['invalid/021'],
    rejects: (_req, head) => head.contentLengths.length > 1 && head.contentLengths.some((value) => value !== head.contentLengths[0]),
  },
  {
    // RFC 9112 6.1: HTTP/1.0 has no chunked framing, so a Transfer-Encoding there is a smuggling attempt.
    name: 'Transfer-Encoding on HTTP/1.0',
    corpusCases: ['invalid/chunked_05'],
    rejects: (req, head) => head.transferEncodings > 0 && req.httpVersionMinor === 0,
  },
  {
    // llhttp rejects this pair in strict mode; kept for the same reason as Content-Length above.
    name: 'Content-Length with Transfer-Encoding',
    corpusCases: ['invalid/rfc9112_smuggle_cl_te_chunked_01', 'invalid/chunked_02'],
    rejects: (_req, head) => head.transferEncodings > 0 && head.contentLengths.length > 0,
  },
];

/**
 * Whether `name` is the header `lower` (lower-cased) in any casing. The sender's usual casings (as
 * `canonical`, or lower-case) compare without allocating; a first-letter test keeps other headers of
 * the same length from paying for toLowerCase().
 */
function isHeader(name: string, canonical: string, lower: string): boolean {
  if (name === canonical || name === lower) return true;
  return (name.charCodeAt(0) | 0x20) === lower.charCodeAt(0) && name.toLowerCase() === lower;
}

/**
 * One pass over the raw header names, looking closer only at the lengths of the four names that
 * matter: most headers cost a length comparison.
 */
export function headFacts(rawHeaders: readonly string[]): HeadFacts {
  let hosts = 0;
  let contentTypes = 0;
  let transferEncodings = 0;
  let contentLengths: string[] | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    switch (name.length) {
      case 4:
        if (isHeader(name, 'Host', 'host')) hosts++;
        break;
      case 12:
        if (isHeader(name, 'Content-Type', 'content-type')) contentTypes++;
        break;
      case 14:
        if (isHeader(name, 'Content-Length', 'content-length')) (contentLengths ??= []).push(rawHeaders[i + 1] as string);
        break;
      case 17:
        if (isHeader(name, 'Transfer-Encoding', 'transfer-encoding')) transferEncodings++;
        break;
      default:
    }
  }
  return { hosts, contentTypes, contentLengths: contentLengths ?? NONE, transferEncodings };
}

const NONE: readonly string[] = [];

/** The first check `req` fails, or undefined when its head is acceptable. */
export function failedCheck(req: IncomingMessage): RequestCheck | undefined {
  const head = headFacts(req.rawHeaders);
  if (!mayFail(req, head)) return undefined;
  for (const check of requestChecks) if (check.rejects(req, head)) return check;
  return undefined;
}

/**
 * False when no check can reject: every fact the checks look at, tested in one expression, so an
 * ordinary request skips the table's eight calls. A check added to the table must widen it.
 */
function mayFail(req: IncomingMessage, head: HeadFacts): boolean {
  return (
    req.httpVersionMajor !== 1 ||
    req.httpVersionMinor > 1 ||
    req.url === '*' ||
    head.hosts !== 1 ||
    head.contentTypes > 1 ||
    head.contentLengths.length > 1 ||
    head.transferEncodings > 0
  );
}
