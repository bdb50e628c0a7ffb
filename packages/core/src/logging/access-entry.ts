import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** What the HTTP front knows of one finished request: all an access log line can be made of. */
export interface AccessEntry {
  /** Peer address (`h`). */
  readonly remoteAddress: string;
  readonly method: string;
  /** The raw request-target as received (`/path?query`). */
  readonly url: string;
  /** `1.1`, `1.0`. */
  readonly httpVersion: string;
  readonly status: number;
  /** Body bytes sent (`B` and `b`, as Gunicorn's `resp.sent`). */
  readonly responseBytes: number;
  readonly requestHeaders: IncomingHttpHeaders;
  readonly responseHeaders: OutgoingHttpHeaders;
  /** When the request started (`t`). */
  readonly startedAt: Date;
  /** Request duration in microseconds (`D`; `T`, `M`, `L` derive from it). */
  readonly durationMicros: number;
  readonly pid: number;
  /** `https` when the connection is TLS, else `http` (Gunicorn's `{wsgi.url_scheme}e`). */
  readonly scheme: 'http' | 'https';
}
