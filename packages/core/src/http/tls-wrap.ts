import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';
import type { Logger } from '../logging/logger.js';
import type { CertReqs } from '../settings/tls-kinds.js';
import { tlsVerifyError } from './node-http-internals.js';
import { createTlsContext, readTlsFiles, tlsEnabled, type TlsSettings } from './tls-context.js';

/**
 * Turns each accepted TCP connection into a server-side TLS connection before node:http sees it.
 * node:http is handed the TLSSocket at once, as it is handed a plain socket: the front's head
 * deadline (client_header_timeout, see client-deadlines.ts) runs from the TCP accept, so a slow
 * handshake counts against it, and its connection tracking, keep-alive and drain work on the
 * TLSSocket as on any connection.
 */
export class TlsWrapper {
  private readonly requestCert: boolean;
  private readonly rejectUnauthorized: boolean;

  constructor(
    private readonly context: SecureContext,
    certReqs: CertReqs,
    private readonly log: Logger,
  ) {
    this.requestCert = certReqs !== 'none';
    this.rejectUnauthorized = certReqs === 'required';
  }

  wrap(raw: Socket): TLSSocket {
    const { requestCert, rejectUnauthorized } = this;
    const socket = new TLSSocket(raw, { isServer: true, secureContext: this.context, requestCert, rejectUnauthorized });
    const peer = raw.remoteAddress ?? 'a unix socket client';
    // A failed handshake (a plain-HTTP request, garbage, a refused certificate) costs only this
    // connection: node destroys the socket and node:http answers the error event; this only says why.
    const onError = (error: Error & { reason?: string }): void => {
      this.log.debug(`TLS handshake with ${peer} failed: ${error.reason ?? error.message}`);
    };
    socket.once('error', onError);
    socket.once('secure', () => {
      socket.removeListener('error', onError);
      if (requestCert) this.checkClientCertificate(socket, peer);
    });
    return socket;
  }

  /**
   * OpenSSL itself only refuses a client that sends no certificate; whether the one sent is signed
   * by ca_certs is node's check, which tls.Server makes and a TLSSocket built by hand does not. It is
   * made here the same way, before any request is read, and sets `authorized` as tls.Server would.
   */
  private checkClientCertificate(socket: TLSSocket, peer: string): void {
    const error = tlsVerifyError(socket);
    if (error === null) {
      socket.authorized = true;
      return;
    }
    (socket as { authorizationError: unknown }).authorizationError = error.code ?? error.message;
    if (!this.rejectUnauthorized) return;
    this.log.debug(`TLS client certificate of ${peer} refused: ${error.message}`);
    socket.destroy();
  }
}

/** The wrapper for this worker's front, with the certificate read now; null when TLS is off. */
export function createTlsWrapper(settings: TlsSettings, log: Logger): TlsWrapper | null {
  if (!tlsEnabled(settings)) return null;
  return new TlsWrapper(createTlsContext(settings, readTlsFiles(settings)), settings.certReqs, log);
}
