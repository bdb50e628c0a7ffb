// TLS lives once in core's HTTP front, so every worker class must serve it the same way: here each
// built worker class (async, sync, threads, asgi) runs the real gu with every TLS setting —
// certfile/keyfile, ca_certs with cert_reqs 2, ciphers, tls_min_version — and a renewed certificate
// on HUP. What is checked is what a client sees of the handshake (refused, or the version and cipher
// it settled on), and that the app was reached over TLS. Certificates are made by the test.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanUp, startGu, tempDir, type GuProcess } from '@gu/testkit';
import { asgiWorker, syncWorker, threadsWorker } from '../support/corpus-servers.js';
import { httpsGet } from '../support/https-get.js';
import { selfSigned, signed, type CertFiles } from '../support/tls-certs.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const asyncWorker = join(import.meta.dirname, '../../../worker-async/dist/index.js');

/** The only TLS 1.2 cipher the servers below allow (the certificates are ECDSA P-256). */
const ALLOWED = 'ECDHE-ECDSA-AES128-GCM-SHA256';
/** A cipher Node offers by default, and the servers below refuse. */
const REFUSED = 'ECDHE-ECDSA-AES256-GCM-SHA384';

interface WorkerClassCase {
  readonly name: string;
  readonly path: string;
  readonly app: string;
  /** What the app must report of a TLS request. */
  readonly seen: Record<string, unknown>;
}

const workerClasses: WorkerClassCase[] = [
  { name: 'async', path: asyncWorker, app: 'tls-app.mjs', seen: { encrypted: true, authorized: true } },
  { name: 'sync', path: syncWorker, app: 'tls-app.mjs', seen: { encrypted: true, authorized: true } },
  { name: 'threads', path: threadsWorker, app: 'tls-app.mjs', seen: { encrypted: true, authorized: true } },
  { name: 'asgi', path: asgiWorker, app: 'tls-asgi-app.mjs', seen: { scheme: 'https' } },
];

afterEach(cleanUp);

interface TlsProject {
  readonly dir: string;
  readonly ca: CertFiles;
  readonly server: CertFiles;
  readonly clientCa: CertFiles;
  readonly client: CertFiles;
}

function tlsProject(app: string): TlsProject {
  const dir = tempDir('gu-tls-classes-');
  copyFileSync(join(fixtures, app), join(dir, 'app.mjs'));
  const ca = selfSigned(dir, 'ca', 'gu test CA');
  const clientCa = selfSigned(dir, 'client-ca', 'gu client CA');
  return { dir, ca, server: signed(dir, 'server', ca), clientCa, client: signed(dir, 'client', clientCa) };
}

function startTls(workerClass: WorkerClassCase, p: TlsProject, flags: string[]): Promise<GuProcess> {
  if (!existsSync(workerClass.path)) throw new Error(`${workerClass.path} is missing: build the worker classes first`);
  return startGu(['app.mjs', '-k', workerClass.path, '-w', '1', '-b', '127.0.0.1:0', '--certfile', p.server.cert, '--keyfile', p.server.key, ...flags], { cwd: p.dir });
}

describe.each(workerClasses)('TLS settings under -k $name', (workerClass) => {
  it('ca_certs + cert_reqs 2 refuse a client without a certificate; ciphers limit TLS 1.2 to the list', async () => {
    const p = tlsProject(workerClass.app);
    const gu = await startTls(workerClass, p, ['--ca-certs', p.clientCa.cert, '--cert-reqs', '2', '--ciphers', ALLOWED]);
    const url = `${gu.url}/`;
    expect(url).toMatch(/^https:/);
    await expect(httpsGet(url, { ca: p.ca.cert })).rejects.toThrow();
    await expect(httpsGet(url, { ca: p.ca.cert, client: p.client, maxVersion: 'TLSv1.2', ciphers: REFUSED })).rejects.toThrow();
    const served = await httpsGet(url, { ca: p.ca.cert, client: p.client, maxVersion: 'TLSv1.2' });
    expect(served.status).toBe(200);
    expect([served.protocol, served.cipher]).toEqual(['TLSv1.2', ALLOWED]);
    expect(JSON.parse(served.body)).toMatchObject(workerClass.seen);
  });

  it('tls_min_version TLSv1.3 refuses a TLS 1.2 client; a HUP serves a renewed certificate', { timeout: 30_000 }, async () => {
    const p = tlsProject(workerClass.app);
    const gu = await startTls(workerClass, p, ['--tls-min-version', 'TLSv1.3']);
    const url = `${gu.url}/`;
    await expect(httpsGet(url, { ca: p.ca.cert, maxVersion: 'TLSv1.2' })).rejects.toThrow(/version|protocol/i);
    const before = await httpsGet(url, { ca: p.ca.cert });
    expect([before.status, before.protocol]).toEqual([200, 'TLSv1.3']);

    const renewed = signed(p.dir, 'renewed', p.ca);
    copyFileSync(renewed.cert, p.server.cert);
    copyFileSync(renewed.key, p.server.key);
    gu.signal('SIGHUP');
    await gu.waitForLog(/Worker exiting \(pid: \d+\)/, 1, 20_000);
    const after = await httpsGet(url, { ca: p.ca.cert });
    expect(after.status).toBe(200);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(JSON.parse(after.body)).not.toMatchObject({ pid: (JSON.parse(before.body) as { pid: number }).pid });
  });
});
