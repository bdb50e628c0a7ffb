// Request smuggling cases beyond Gunicorn's corpus, one table by class. Each case is the bytes a
// client sends and what the app must see: nothing (`rejected`: a 4xx or a closed connection), or
// exactly the listed requests (target and body), so no second request can hide inside the first.
// docs/http-conformance.md reports the counts by class.

/** What a case must produce on gu. */
export type SmugglingOutcome =
  | { readonly kind: 'rejected' }
  | { readonly kind: 'served'; readonly requests: readonly { readonly url: string; readonly body: string }[] };

export interface SmugglingCase {
  readonly name: string;
  readonly raw: string;
  readonly outcome: SmugglingOutcome;
}

const rejected = { kind: 'rejected' } as const;
const served = (...requests: [url: string, body?: string][]): SmugglingOutcome => ({
  kind: 'served',
  requests: requests.map(([url, body = '']) => ({ url, body })),
});

const HEAD = 'POST /a HTTP/1.1\r\nHost: h\r\n';
/** A request that, if the first one's framing were misread, would reach the app as a second request. */
const NEXT = 'GET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n';

/** Content-Length and Transfer-Encoding disagreeing or obfuscated (CL.TE, TE.CL, TE.TE). */
const framingConflicts: SmugglingCase[] = [
  { name: 'CL.TE: Content-Length then chunked', raw: `${HEAD}Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX`, outcome: rejected },
  { name: 'TE.CL: chunked then Content-Length', raw: `${HEAD}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE.TE: chunked, then a second Transfer-Encoding', raw: `${HEAD}Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE: xchunked', raw: `${HEAD}Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE: chunked, identity (chunked not last)', raw: `${HEAD}Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE: "chunked" quoted', raw: `${HEAD}Transfer-Encoding: "chunked"\r\n\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE: chunked twice in one value', raw: `${HEAD}Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE with a space before the colon', raw: `${HEAD}Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE folded onto the previous line', raw: `${HEAD}X: y\r\n Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE with a vertical tab before the value', raw: `${HEAD}Transfer-Encoding:\x0bchunked\r\n\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'TE on HTTP/1.0', raw: 'POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', outcome: rejected },
  { name: 'TE: CHUNKED in capitals is chunked', raw: `${HEAD}Transfer-Encoding: CHUNKED\r\n\r\n3\r\nabc\r\n0\r\n\r\n${NEXT}`, outcome: served(['/a', 'abc'], ['/smuggled']) },
  { name: 'TE with a tab before the value is chunked', raw: `${HEAD}Transfer-Encoding:\tchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n${NEXT}`, outcome: served(['/a', 'abc'], ['/smuggled']) },
];

/** Content-Length forms. */
const contentLengths: SmugglingCase[] = [
  { name: 'CL: two equal headers', raw: `${HEAD}Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc`, outcome: rejected },
  { name: 'CL: two different headers', raw: `${HEAD}Content-Length: 3\r\nContent-Length: 30\r\n\r\nabc`, outcome: rejected },
  { name: 'CL: a list "3, 3"', raw: `${HEAD}Content-Length: 3, 3\r\n\r\nabc`, outcome: rejected },
  { name: 'CL: a sign "+3"', raw: `${HEAD}Content-Length: +3\r\n\r\nabc`, outcome: rejected },
  { name: 'CL: negative', raw: `${HEAD}Content-Length: -1\r\n\r\n`, outcome: rejected },
  { name: 'CL: hexadecimal "0x3"', raw: `${HEAD}Content-Length: 0x3\r\n\r\nabc`, outcome: rejected },
  { name: 'CL: exponent "3e0"', raw: `${HEAD}Content-Length: 3e0\r\n\r\nabc`, outcome: rejected },
  { name: 'CL: two numbers "3 3"', raw: `${HEAD}Content-Length: 3 3\r\n\r\nabc`, outcome: rejected },
  { name: 'CL: past 2^64', raw: `${HEAD}Content-Length: 99999999999999999999999\r\n\r\nabc`, outcome: rejected },
  { name: 'CL with a space before the colon', raw: `${HEAD}Content-Length : 3\r\n\r\nabc`, outcome: rejected },
  { name: 'CL: leading zeros are the number', raw: `${HEAD}Content-Length: 003\r\n\r\nabc${NEXT}`, outcome: served(['/a', 'abc'], ['/smuggled']) },
  { name: 'a GET body that looks like a request stays a body', raw: `GET /a HTTP/1.1\r\nHost: h\r\nContent-Length: ${NEXT.length}\r\n\r\n${NEXT}`, outcome: served(['/a', NEXT]) },
];

/** Chunk-size lines, chunk extensions and chunk framing. */
const chunkForms: SmugglingCase[] = [
  { name: 'chunk size "0x3"', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'chunk size with a space before CRLF', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'chunk size with a leading space', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n 3\r\nabc\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'chunk size past 2^64', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n10000000000000003\r\nabc\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'chunk size ended by a bare LF', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'chunk data longer than its size', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'chunk data without its CRLF', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3\r\nabc0\r\n\r\n`, outcome: rejected },
  { name: 'chunk extension with a bare CR', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3;a=\rb\r\nabc\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'chunk extension with a bare LF', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3;a\nb\r\nabc\r\n0\r\n\r\n`, outcome: rejected },
  { name: 'last chunk "0" ended by a bare LF', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\n\r\n`, outcome: rejected },
  { name: 'chunk extensions are ignored', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3;name=value;q="x"\r\nabc\r\n0;last\r\n\r\n${NEXT}`, outcome: served(['/a', 'abc'], ['/smuggled']) },
  { name: 'chunk size with leading zeros', raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n0003\r\nabc\r\n0\r\n\r\n${NEXT}`, outcome: served(['/a', 'abc'], ['/smuggled']) },
];

/** Forbidden trailers (RFC 9110 6.5.1). */
const trailers: SmugglingCase[] = ['Host: other', 'Content-Length: 3', 'Transfer-Encoding: chunked'].map((trailer) => ({
  name: `trailer "${trailer}"`,
  raw: `${HEAD}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n${trailer}\r\n\r\n`,
  outcome: rejected,
}));

/** Request lines: separators, versions, targets. */
const requestLines: SmugglingCase[] = [
  { name: 'tab as a request-line separator', raw: 'GET\t/a\tHTTP/1.1\r\nHost: h\r\n\r\n', outcome: rejected },
  // llhttp skips repeated spaces between the parts (Gunicorn answers 400); the target is still one
  // token, so the line cannot be read two ways. Listed in docs/http-conformance.md as a difference.
  { name: 'two spaces between the parts: read as one request, unlike Gunicorn', raw: 'GET  /a  HTTP/1.1\r\nHost: h\r\n\r\n', outcome: served(['/a']) },
  { name: 'a space after the version', raw: 'GET /a HTTP/1.1 \r\nHost: h\r\n\r\n', outcome: rejected },
  { name: 'a lower-case version', raw: 'GET /a http/1.1\r\nHost: h\r\n\r\n', outcome: rejected },
  { name: 'version HTTP/1.10', raw: 'GET /a HTTP/1.10\r\nHost: h\r\n\r\n', outcome: rejected },
  { name: 'version HTTP/2.0 on HTTP/1 framing', raw: 'GET /a HTTP/2.0\r\nHost: h\r\n\r\n', outcome: rejected },
  { name: 'request line ended by a bare LF', raw: 'GET /a HTTP/1.1\nHost: h\r\n\r\n', outcome: rejected },
  { name: 'a space in the target', raw: 'GET /a b HTTP/1.1\r\nHost: h\r\n\r\n', outcome: rejected },
  { name: 'a NUL in the target', raw: 'GET /a\x00b HTTP/1.1\r\nHost: h\r\n\r\n', outcome: rejected },
  { name: 'asterisk target on GET', raw: 'GET * HTTP/1.1\r\nHost: h\r\n\r\n', outcome: rejected },
  { name: 'absolute-form target: the app sees it as sent, Host notwithstanding', raw: 'GET http://a.example/x HTTP/1.1\r\nHost: b.example\r\n\r\n', outcome: served(['http://a.example/x']) },
  { name: 'HTTP/1.1 without Host', raw: 'GET /a HTTP/1.1\r\n\r\n', outcome: rejected },
  { name: 'two Host headers', raw: 'GET /a HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n', outcome: rejected },
];

/** Header fields: names, values, line endings. */
const headerFields: SmugglingCase[] = [
  { name: 'a space inside a header name', raw: 'GET /a HTTP/1.1\r\nHost: h\r\nX Y: 1\r\n\r\n', outcome: rejected },
  { name: 'a header line without a colon', raw: 'GET /a HTTP/1.1\r\nHost: h\r\nX-Y\r\n\r\n', outcome: rejected },
  { name: 'an empty header name', raw: 'GET /a HTTP/1.1\r\nHost: h\r\n: 1\r\n\r\n', outcome: rejected },
  { name: 'a NUL in a header value', raw: 'GET /a HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n', outcome: rejected },
  { name: 'a bare CR in a header value', raw: 'GET /a HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n', outcome: rejected },
  { name: 'a header line ended by a bare LF', raw: 'GET /a HTTP/1.1\r\nHost: h\nX: 1\r\n\r\n', outcome: rejected },
  { name: 'a head ended by a bare LF', raw: 'GET /a HTTP/1.1\r\nHost: h\r\n\n', outcome: rejected },
  { name: 'obsolete line folding', raw: 'GET /a HTTP/1.1\r\nHost: h\r\nX: 1\r\n\t2\r\n\r\n', outcome: rejected },
  { name: 'whitespace before the first header', raw: 'GET /a HTTP/1.1\r\n Host: h\r\n\r\n', outcome: rejected },
];

/** Every class, in the order the docs list them. */
export const smugglingClasses: Readonly<Record<string, readonly SmugglingCase[]>> = {
  'Content-Length / Transfer-Encoding conflicts and obfuscation': framingConflicts,
  'Content-Length forms': contentLengths,
  'chunk-size lines, extensions and framing': chunkForms,
  'forbidden trailers': trailers,
  'request lines': requestLines,
  'header fields': headerFields,
};
