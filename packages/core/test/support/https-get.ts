// An HTTPS request for TLS tests: the body, and the certificate the server presented.
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { TLSSocket } from 'node:tls';
import type { CertFiles } from './tls-certs.js';

export interface HttpsResult {
  readonly status: number;
  readonly body: string;
  /** SHA-256 fingerprint of the server's certificate. */
  readonly fingerprint: string;
  readonly serial: string;
  /** The TLS version and cipher the handshake settled on. */
  readonly protocol: string | null;
  readonly cipher: string;
}

export interface HttpsOptions {
  /** The CA the client trusts. */
  readonly ca: string;
  /** A client certificate to present. */
  readonly client?: CertFiles;
  readonly agent?: https.Agent;
  /** The highest TLS version the client offers. */
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** The TLS 1.2 ciphers the client offers (OpenSSL list); Node's default list when absent. */
  readonly ciphers?: string;
}

export function httpsGet(url: string, { ca, client, agent, maxVersion, ciphers }: HttpsOptions): Promise<HttpsResult> {
  return new Promise((resolve, reject) => {
    const request = https.get(
      url,
      {
        ca: readFileSync(ca),
        servername: 'localhost',
        ...(client ? { cert: readFileSync(client.cert), key: readFileSync(client.key) } : {}),
        ...(agent ? { agent } : { agent: false }),
        ...(maxVersion ? { maxVersion } : {}),
        ...(ciphers ? { ciphers } : {}),
        timeout: 10_000,
      },
      (res) => {
        if (!(res.socket instanceof TLSSocket)) {
          reject(new Error('the response did not come over TLS'));
          return;
        }
        const socket = res.socket;
        const peer = socket.getPeerCertificate();
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, fingerprint: peer.fingerprint256, serial: peer.serialNumber, protocol: socket.getProtocol(), cipher: socket.getCipher().name });
        });
        res.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}
