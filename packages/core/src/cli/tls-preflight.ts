import { readFileSync } from 'node:fs';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { GuError } from '../errors.js';
import { labelOf, type Origin, type SettingOrigins } from '../settings/layer.js';
import type { SettingKey } from '../settings/registry.js';
import type { Settings } from '../settings/types.js';
import { createTlsContext, type TlsFiles } from '../http/tls-context.js';

const commandLine: Origin = { kind: 'command line' };

function fail(message: string, cause?: unknown): never {
  throw new GuError('GU_ERR_INVALID_SETTING', message, cause === undefined ? undefined : { cause });
}

/** The first line of an OpenSSL or fs error, without node's stack of OpenSSL frames. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/**
 * Checks the TLS settings before anything binds, at start and before each reload (HUP) starts a
 * generation: both files given, readable, a certificate and a key that belong together, CA
 * certificates and a cipher list OpenSSL accepts. Each failure is one line naming the setting and
 * where it came from (exit 2; on HUP the running workers keep serving).
 */
export function checkTlsSettings(settings: Settings, origins: SettingOrigins): void {
  const label = (key: SettingKey): string => labelOf(key, origins[key] ?? commandLine);
  const { certfile, keyfile } = settings;
  if (certfile === null && keyfile === null) {
    // Without TLS no client certificate is ever asked for: the server would look guarded and be open.
    if (settings.certReqs !== 'none') fail(`${label('certReqs')}: ${settings.certReqs} without ${label('certfile')} (expected certfile and keyfile with it: client certificates are asked for only over TLS)`);
    return;
  }
  if (certfile === null || keyfile === null) {
    const [given, missing] = certfile === null ? (['keyfile', 'certfile'] as const) : (['certfile', 'keyfile'] as const);
    fail(`${label(given)}: given without ${label(missing)} (expected both files, or neither)`);
  }
  const read = (key: SettingKey, path: string, expected: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      return fail(`${label(key)}: cannot read ${path}: ${reasonOf(error)} (expected ${expected})`, error);
    }
  };
  const files: TlsFiles = {
    cert: read('certfile', certfile, 'a readable PEM certificate file'),
    key: read('keyfile', keyfile, 'a readable PEM private key file'),
    ca: settings.caCerts === null ? null : read('caCerts', settings.caCerts, 'a readable PEM file of CA certificates'),
  };
  const certificate = parse(() => new X509Certificate(files.cert), `${label('certfile')}: ${certfile} holds no certificate`, 'a PEM certificate');
  const key = parse(() => createPrivateKey(files.key), `${label('keyfile')}: ${keyfile} holds no private key`, 'an unencrypted PEM private key');
  checkKeyMatches(certificate, key, `${label('keyfile')}: the key in ${keyfile} does not match the certificate in ${certfile} (expected the certificate's own private key)`);
  const { ca } = files;
  if (ca) parse(() => new X509Certificate(ca), `${label('caCerts')}: ${settings.caCerts ?? ''} holds no certificate`, 'PEM CA certificates');
  checkContext(settings, files, label);
}

function parse<T>(build: () => T, problem: string, expected: string): T {
  try {
    return build();
  } catch (error) {
    return fail(`${problem} (${reasonOf(error)}; expected ${expected})`, error);
  }
}

function checkKeyMatches(certificate: X509Certificate, key: KeyObject, message: string): void {
  if (!certificate.checkPrivateKey(key)) fail(message);
}

/** What is left for OpenSSL to refuse is the cipher list (or a file only it finds fault with). */
function checkContext(settings: Settings, files: TlsFiles, label: (key: SettingKey) => string): void {
  try {
    createTlsContext(settings, { ...files, ca: null });
  } catch (error) {
    const culprit = settings.ciphers === null ? label('certfile') : label('ciphers');
    const expected = settings.ciphers === null ? 'a certificate and key OpenSSL accepts' : 'an OpenSSL cipher list, e.g. ECDHE+AESGCM';
    fail(`${culprit}: refused by OpenSSL: ${reasonOf(error)} (expected ${expected})`, error);
  }
  if (files.ca) {
    try {
      createTlsContext(settings, files);
    } catch (error) {
      fail(`${label('caCerts')}: refused by OpenSSL: ${reasonOf(error)} (expected PEM CA certificates)`, error);
    }
  }
}
