import { ValueRejected, type ValueKind } from './value-kinds.js';

/** How a TLS listener treats client certificates, as Python's ssl.CERT_NONE/OPTIONAL/REQUIRED. */
export type CertReqs = 'none' | 'optional' | 'required';

/** Gunicorn's numbers first: index 0, 1, 2 is CERT_NONE, CERT_OPTIONAL, CERT_REQUIRED. */
const certReqsNames: readonly CertReqs[] = ['none', 'optional', 'required'];

/** `cert_reqs`: Gunicorn's 0/1/2 (a number, or its text from the command line) or the names. */
export const certReqs: ValueKind<CertReqs> = {
  expected: '0, 1 or 2, or none, optional or required',
  metavar: 'INT',
  coerce(raw) {
    const word = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    const byNumber = /^[012]$/.test(word) ? certReqsNames[Number(word)] : undefined;
    const byName = certReqsNames.find((name) => name === word || `cert_${name}` === word);
    const value = byNumber ?? byName;
    if (value === undefined) throw new ValueRejected(raw);
    return value;
  },
};

/** The TLS versions a listener may require at least: Node's own names, as `tls.DEFAULT_MIN_VERSION` takes them. */
export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

const tlsVersions: readonly TlsVersion[] = ['TLSv1.2', 'TLSv1.3'];

/**
 * `tls_min_version`: `TLSv1.2` or `TLSv1.3`, case and the `v` forgiven (`tlsv1.3`, `TLS1.3`, `1.3`),
 * and Python's spelling (`TLSv1_2`) too, for those who bring it from Gunicorn's ssl_version.
 */
export const tlsVersion: ValueKind<TlsVersion> = {
  expected: 'TLSv1.2 or TLSv1.3',
  metavar: 'VERSION',
  coerce(raw) {
    const minor = typeof raw === 'string' ? /^\s*(?:tls\s*v?)?1[._]([23])\s*$/i.exec(raw)?.[1] : undefined;
    const version = tlsVersions.find((name) => name === `TLSv1.${minor ?? ''}`);
    if (version === undefined) throw new ValueRejected(raw);
    return version;
  },
};
