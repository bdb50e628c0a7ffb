import type { SettingSpecs } from './registry.js';
import { allowList, headerValueMap, proxyProtocolMode } from './http-value-kinds.js';
import { integerOrZero } from './value-kinds.js';

// The settings of core's HTTP front, declared here to keep registry.ts readable; it spreads them in place.

/** Gunicorn's request limits (its Security section), and a body limit Gunicorn does not have. */
export const requestLimitSettings: SettingSpecs<'limitRequestLine' | 'limitRequestFields' | 'limitRequestFieldSize' | 'limitRequestBody'> = {
  limitRequestLine: {
    name: 'limit_request_line',
    section: 'Security',
    flags: ['--limit-request-line'],
    kind: integerOrZero,
    default: 4094,
    doc: 'The maximum size of the HTTP request line in bytes (method, request-target and protocol version, without the CRLF). A longer one is answered `414 URI Too Long` with `Connection: close` before the app sees the request (Gunicorn answers 400). Set it large enough for the longest URL with query string the app expects; 0 means unlimited; 8190 is the largest limit, and a larger value acts as 8190, as in Gunicorn. It protects against clients that send huge request lines.',
  },
  limitRequestFields: {
    name: 'limit_request_fields',
    section: 'Security',
    flags: ['--limit-request-fields'],
    kind: integerOrZero,
    default: 100,
    doc: 'The maximum number of header fields in a request. A request with more is answered `431 Request Header Fields Too Large` with `Connection: close` before the app sees it. 0, or a value above the largest limit of 32768, means 32768, as in Gunicorn. node:http is set to admit one field more than this, so that gu decides; a request even further over is refused with the same 431 by node itself.',
  },
  limitRequestFieldSize: {
    name: 'limit_request_field_size',
    section: 'Security',
    flags: ['--limit-request-field_size'],
    kind: integerOrZero,
    default: 8190,
    doc: "The maximum size of one request header field in bytes, counted as Gunicorn counts it: `Name: value` and its CRLF. A request with a larger field is answered `431 Request Header Fields Too Large` with `Connection: close` before the app sees it. 0 means the default, 8190, as Gunicorn 26's parser reads it (its request corpus case `limit_header_default_01`; older Gunicorn documentation calls 0 unlimited): there is no unlimited field size. Larger values are accepted. The flag is spelled as Gunicorn spells it, `--limit-request-field_size`. node:http's own bound on the whole head (16 KiB by default) is raised to what these limits admit together, so a head within them is never refused by node.",
  },
  limitRequestBody: {
    name: 'limit_request_body',
    section: 'Security',
    flags: ['--limit-request-body'],
    kind: integerOrZero,
    default: 0,
    doc: "The maximum size of a request body in bytes; 0 (the default) means unlimited. Gunicorn has no such setting. A request whose Content-Length is larger is answered `413 Payload Too Large` with `Connection: close` and never reaches the app (a client expecting `100 Continue` gets the 413 instead, so it sends no body). A chunked body is counted as it arrives: past the limit the app's request ends as if the client had gone away ('aborted'), the client gets 413 if the app has not started its response (else the connection is cut), and the connection is closed.",
  },
};

/**
 * Deadlines against slow clients (slowloris and slow uploads). Gunicorn has none (its sync workers
 * rely on `timeout`); the names and semantics are nginx's `client_header_timeout` and
 * `client_body_timeout`, which node:http's `headersTimeout` resembles. See docs/slow-clients.md.
 */
export const clientTimeoutSettings: SettingSpecs<'clientHeaderTimeout' | 'clientBodyTimeout'> = {
  clientHeaderTimeout: {
    name: 'client_header_timeout',
    section: 'Security',
    flags: ['--client-header-timeout'],
    kind: integerOrZero,
    default: 10,
    doc: "The number of seconds a client has to send a whole request head (request line and header fields); 0 disables it. Counted from the accepted TCP connection for its first request (a TLS handshake counts), and on a keep-alive connection from the first byte of the next request (or, at the latest, from when the idle connection would have been closed by `keepalive`): idle time between requests is `keepalive`'s alone. A client that is late is answered `408 Request Timeout` with `Connection: close` and its connection is closed; the app never sees the request. The default of 10 s is many times what a real client needs (a head is sent in one write right after the connection, or the TLS handshake, is made) and frees a connection held by a slowloris client within 10 s, where node:http alone allows 60 s from the first byte. Deadlines are checked by one sweep over the open connections, about ten times per deadline (at most once a second), so a client is cut within that much after its deadline. The sync worker class uses at most 5 s, since each connection holds a whole sync worker.",
  },
  clientBodyTimeout: {
    name: 'client_body_timeout',
    section: 'Security',
    flags: ['--client-body-timeout'],
    kind: integerOrZero,
    default: 30,
    doc: "The number of seconds a request body may stop moving: while the app waits for body bytes that do not come for this long, the request is aborted (the app's request emits 'aborted' and an error, as when a client goes away) and the connection is closed; 0 disables it. Only a stalled body counts, not a slow one (as nginx's `client_body_timeout`), and never while the app itself is not reading (its unread data is waiting). There is no deadline on the body as a whole, so a long upload that keeps moving is never cut (node:http alone cuts any request after 300 s). The default of 30 s outlasts the stalls of a healthy but lossy connection (TCP retransmission backs off to several seconds) while freeing a connection whose client has stopped sending.",
  },
};

/** Behind a proxy: whose forwarded headers and PROXY protocol headers are believed, and which headers say https. */
export const proxySettings: SettingSpecs<'forwardedAllowIps' | 'secureSchemeHeaders' | 'proxyProtocol' | 'proxyAllowIps'> = {
  forwardedAllowIps: {
    name: 'forwarded_allow_ips',
    section: 'Server Mechanics',
    flags: ['--forwarded-allow-ips'],
    env: { variable: 'FORWARDED_ALLOW_IPS' },
    kind: allowList,
    default: ['127.0.0.1', '::1'],
    doc: "The addresses of the front-end proxies whose proxy headers are trusted. IP addresses and CIDR ranges (IPv4 or IPv6, such as `10.0.0.0/8,fd00::/8`) separated by commas, or `*` to trust every peer (only when the network lets nothing but the proxy reach gu). A peer on a unix socket is always trusted, and an IPv4 peer seen as `::ffff:a.b.c.d` matches its IPv4 address. Unlike Gunicorn, which ignores them, gu removes `Forwarded`, every `X-Forwarded-*` header and the `secure_scheme_headers` from requests of any other peer before the app sees them (from `req.headers` and `req.rawHeaders`), so an app that believes them (Express with `trust proxy`) cannot be fooled by a client that reaches gu directly. The access log's `%(h)s` stays the connection's peer.",
  },
  secureSchemeHeaders: {
    name: 'secure_scheme_headers',
    section: 'Server Mechanics',
    flags: [],
    kind: headerValueMap,
    default: { 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' },
    doc: "The headers (and their values) by which a trusted proxy says the client's request came over HTTPS, a dict in the config file only, as in Gunicorn (which has no flag for it). Names are case-insensitive, values compared without case. From a peer in `forwarded_allow_ips`, a request whose scheme headers disagree (`X-Forwarded-Proto: https` with `X-Forwarded-Ssl: off`) is answered 400 before the app sees it; otherwise the headers reach the app unchanged, and that is how an app learns the scheme (Express's `req.protocol` with `trust proxy` reads `X-Forwarded-Proto`; Gunicorn sets `wsgi.url_scheme`). From any other peer they are removed.",
  },
  proxyProtocol: {
    name: 'proxy_protocol',
    section: 'Server Mechanics',
    flags: ['--proxy-protocol'],
    kind: proxyProtocolMode,
    default: 'off',
    doc: "Reads the PROXY protocol header (HAProxy's, sent by nginx `proxy_protocol on`, HAProxy `send-proxy`, AWS NLB, stunnel) that a TCP proxy puts in front of each connection: `v1` (the text line), `v2` (the binary form), `auto` (either) or `off`. The client address and port it declares are then the connection's `req.socket.remoteAddress`/`remotePort`/`remoteFamily` (Express's `req.ip`), the access log's `%(h)s`, and the address `forwarded_allow_ips` is checked against (Gunicorn checks the proxy's own address; but behind a TCP proxy the `X-Forwarded-*` headers come from the client, so gu judges the client); a `LOCAL` (v2) or `UNKNOWN` (v1) header keeps the real peer. As in Gunicorn the header is optional: a connection that does not open with one is served as plain HTTP (in `v1` mode a v2 header is not recognised, and the reverse). A header from a peer not in `proxy_allow_ips` closes the connection, so does a malformed one (logged as a warning), and so does a connection that has not delivered its header, or shown by its first bytes that it has none, within 5 seconds of the accept (`client_header_timeout` also runs from the accept, so reading the header gives a client no extra time). The header is read before TLS: with `certfile` the proxy sends it in clear, then the handshake follows. A `true` in the config file means `auto`, as in Gunicorn, which also takes the flag without a value; gu's flag needs one.",
  },
  proxyAllowIps: {
    name: 'proxy_allow_ips',
    section: 'Server Mechanics',
    flags: ['--proxy-allow-from'],
    kind: allowList,
    default: ['127.0.0.1', '::1'],
    doc: 'The addresses of the proxies allowed to send a PROXY protocol header (see `proxy_protocol`): IP addresses and CIDR ranges, comma-separated, or `*` for every peer. A peer on a unix socket is always allowed, as in Gunicorn. A connection from any other peer that opens with a PROXY header is closed before anything is served, so a client cannot pose as a proxy and choose its own address.',
  },
};
