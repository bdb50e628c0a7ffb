// Certificates made for a test run with openssl, in a temporary folder: no private key is committed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const OPENSSL = '/usr/bin/openssl';
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface CertFiles {
  readonly cert: string;
  readonly key: string;
}

function openssl(args: string[]): void {
  execFileSync(OPENSSL, args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A self-signed certificate: a CA for `signed`, or a certificate no test CA vouches for. */
export function selfSigned(dir: string, name: string, cn = name): CertFiles {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  openssl(['req', '-x509', ...EC, '-days', '1', '-subj', `/CN=${cn}`, '-keyout', files.key, '-out', files.cert]);
  return files;
}

/** A certificate for localhost and 127.0.0.1 signed by `ca`, with a random serial of its own. */
export function signed(dir: string, name: string, ca: CertFiles): CertFiles {
  const files = { cert: join(dir, `${name}.crt`), key: join(dir, `${name}.key`) };
  const csr = join(dir, `${name}.csr`);
  const extensions = join(dir, `${name}.ext`);
  openssl(['req', ...EC, '-subj', `/CN=${name}`, '-keyout', files.key, '-out', csr]);
  writeFileSync(extensions, 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-days', '1', '-extfile', extensions, '-out', files.cert]);
  return files;
}
