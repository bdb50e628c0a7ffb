/**
 * What a PROXY protocol header says about a connection. `proxied`: the client's address and port
 * (and the proxy's side of the connection, kept for completeness); `local`: the header carries no
 * client (v1 `UNKNOWN`, v2 `LOCAL`, or an address family that is not IP), so the real peer stays.
 */
export type ProxyHeader =
  | {
      readonly kind: 'proxied';
      readonly family: 'IPv4' | 'IPv6';
      readonly sourceAddress: string;
      readonly sourcePort: number;
      readonly destinationAddress: string;
      readonly destinationPort: number;
    }
  | { readonly kind: 'local' };

/** The outcome of parsing the bytes received so far. */
export type ParseResult =
  | { readonly status: 'incomplete' }
  | { readonly status: 'invalid'; readonly reason: string }
  /** `length`: how many bytes the header took; what follows belongs to HTTP (or TLS). */
  | { readonly status: 'complete'; readonly header: ProxyHeader; readonly length: number };

export const INCOMPLETE: ParseResult = { status: 'incomplete' };

export function invalid(reason: string): ParseResult {
  return { status: 'invalid', reason };
}
