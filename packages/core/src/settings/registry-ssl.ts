import type { SettingSpecs } from './registry.js';
import { optionalFile, optionalText } from './value-kinds.js';
import { certReqs, tlsVersion } from './tls-kinds.js';

type SslKey = 'certfile' | 'keyfile' | 'caCerts' | 'certReqs' | 'ciphers' | 'tlsMinVersion';

/**
 * Gunicorn's SSL section, kept apart from registry.ts (which spreads it in, in this order) so that
 * each file stays readable. `do_handshake_on_connect` and `suppress_ragged_eofs` are not here: they
 * tune Python's ssl module and have no counterpart in Node (its handshake always runs on connect,
 * and a TLS connection closed without close_notify is always treated as ended).
 */
export const sslSettings: SettingSpecs<SslKey> = {
  certfile: {
    name: 'certfile',
    section: 'SSL',
    flags: ['--certfile'],
    kind: optionalFile,
    default: null,
    doc: "The TLS certificate file (PEM; the server's certificate first, then any intermediates). When it is set, every listener serves HTTPS only, as in Gunicorn; give `keyfile` with it. Checked before anything is bound: a missing or unreadable file, or a key that does not match it, stops gu with exit 2. The file is read again by each new generation of workers, so a reload (HUP) serves a renewed certificate without dropping a connection; a reload that finds it broken keeps the running workers serving. Behind a proxy such as nginx, TLS usually ends at the proxy and gu serves plain HTTP. Gunicorn's `do_handshake_on_connect` and `suppress_ragged_eofs` tune Python's ssl module and have no counterpart here: Node always runs the handshake as a connection arrives, and takes a connection closed without a TLS close_notify as ended.",
  },
  keyfile: {
    name: 'keyfile',
    section: 'SSL',
    flags: ['--keyfile'],
    kind: optionalFile,
    default: null,
    doc: 'The private key file (PEM, unencrypted) of `certfile`. Both are given together, or neither.',
  },
  caCerts: {
    name: 'ca_certs',
    section: 'SSL',
    flags: ['--ca-certs'],
    kind: optionalFile,
    default: null,
    doc: "The CA certificates file (PEM) that client certificates are checked against, with `cert_reqs` 1 or 2. Without it, Node's bundled root certificates are used.",
  },
  certReqs: {
    name: 'cert_reqs',
    section: 'SSL',
    flags: ['--cert-reqs'],
    kind: certReqs,
    default: 'none',
    doc: "Whether a client certificate is asked for: `0` or `none` (not asked), `1` or `optional` (asked; a client may send none, and `req.socket.authorized` says whether one it sent was signed by `ca_certs`), `2` or `required` (a client without a certificate signed by `ca_certs` is refused during the handshake). Gunicorn's numbers (Python's `ssl.CERT_NONE`, `CERT_OPTIONAL`, `CERT_REQUIRED`) and the names are both accepted. Unlike Python's CERT_OPTIONAL, `optional` also lets in a client whose certificate does not verify, leaving the decision to the app. `optional` or `required` without `certfile` stops gu with exit 2, since no client certificate is asked for without TLS (Gunicorn ignores it and serves plain HTTP).",
  },
  ciphers: {
    name: 'ciphers',
    section: 'SSL',
    flags: ['--ciphers'],
    metavar: 'STRING',
    kind: optionalText,
    default: null,
    defaultDoc: "Node's default cipher list",
    doc: 'The ciphers to offer, as an OpenSSL cipher list string such as `ECDHE+AESGCM:!aNULL`. It applies to TLS 1.2; the TLS 1.3 cipher suites are always those Node enables. A list OpenSSL does not understand stops gu with exit 2.',
  },
  tlsMinVersion: {
    name: 'tls_min_version',
    section: 'SSL',
    flags: ['--tls-min-version'],
    kind: tlsVersion,
    default: 'TLSv1.2',
    doc: "The lowest TLS version a client may use: `TLSv1.2` or `TLSv1.3` (Python's spelling `TLSv1_2` is accepted too). It replaces Gunicorn's deprecated `ssl_version`, which named one protocol (`TLS`, `TLSv1_2`...) and which Gunicorn itself now ignores in favour of negotiation: Gunicorn's `TLSv1_2` or the default `TLS_SERVER` map to `TLSv1.2`, a wish for TLS 1.3 only to `TLSv1.3`. SSLv3, TLS 1.0 and 1.1 cannot be enabled.",
  },
};
