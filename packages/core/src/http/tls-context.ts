import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Settings } from '../settings/types.js';

/** The settings a TLS listener is built from. */
export type TlsSettings = Pick<Settings, 'certfile' | 'keyfile' | 'caCerts' | 'certReqs' | 'ciphers' | 'tlsMinVersion'>;

/** The PEM files of a TLS listener, as read from disk. */
export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly ca: Buffer | null;
}

/** True when the listeners serve HTTPS: `certfile` is set (the preflight made sure `keyfile` is too). */
export function tlsEnabled(settings: TlsSettings): settings is TlsSettings & { certfile: string; keyfile: string } {
  return settings.certfile !== null && settings.keyfile !== null;
}

/**
 * Reads the files now: each worker calls this when its front is built, so a generation started by a
 * reload serves whatever certificate is on disk then, and an older one keeps the one it loaded.
 */
export function readTlsFiles(settings: TlsSettings & { certfile: string; keyfile: string }): TlsFiles {
  return {
    cert: readFileSync(settings.certfile),
    key: readFileSync(settings.keyfile),
    ca: settings.caCerts === null ? null : readFileSync(settings.caCerts),
  };
}

/** The one SecureContext every connection of a worker shares (OpenSSL's SSL_CTX). */
export function createTlsContext(settings: TlsSettings, files: TlsFiles): SecureContext {
  return createSecureContext({
    cert: files.cert,
    key: files.key,
    ...(files.ca ? { ca: files.ca } : {}),
    ...(settings.ciphers === null ? {} : { ciphers: settings.ciphers }),
    minVersion: settings.tlsMinVersion,
  });
}
