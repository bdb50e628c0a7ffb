// TLS in core's HTTP front (certfile & co.): HTTPS on every listener, client certificates, checks
// before binding, and a certificate swapped by a reload. Certificates are made per test by openssl.
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, runGu, startGu, tempDir } from '@gu/testkit';
import { httpsGet } from '../support/https-get.js';
import { selfSigned, signed, type CertFiles } from '../support/tls-certs.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const base = ['app.mjs', '-b', '127.0.0.1:0', '-k', join(fixtures, 'minimal-worker.mjs')];

afterEach(cleanUp);

interface TlsProject {
  readonly dir: string;
  readonly ca: CertFiles;
  readonly server: CertFiles;
  /** `--certfile server.crt --keyfile server.key`. */
  readonly flags: string[];
}

/** A project with the TLS app, a CA and a localhost certificate signed by it. */
function tlsProject(): TlsProject {
  const dir = tempDir('gu-tls-');
  copyFileSync(join(fixtures, 'tls-app.mjs'), join(dir, 'app.mjs'));
  const ca = selfSigned(dir, 'ca', 'gu test CA');
  const server = signed(dir, 'server', ca);
  return { dir, ca, server, flags: ['--certfile', server.cert, '--keyfile', server.key] };
}

interface Seen {
  pid: number;
  encrypted: boolean;
  authorized: boolean;
}

/** Sends `bytes` on a plain TCP connection and resolves once the server has closed it. */
function sendRaw(url: string, bytes: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    socket.on('error', () => undefined);
    socket.on('close', () => { resolve(); });
    socket.resume();
  });
}

describe('TLS (certfile, keyfile)', () => {
  it('serves HTTPS on every listener, and the app sees an encrypted socket', async () => {
    const p = tlsProject();
    const logFormat = ['--access-logfile', '-', '--access-logformat', '%({wsgi.url_scheme}e)s "%(r)s" %(s)s'];
    const gu = await startGu([...base, ...p.flags, '-b', '127.0.0.1:0', ...logFormat], { cwd: p.dir });
    expect(gu.addresses).toHaveLength(2);
    for (const address of gu.addresses) {
      expect(address).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const res = await httpsGet(`${address}/x`, { ca: p.ca.cert });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ encrypted: true, authorized: false });
    }
    await gu.waitForLog(/^https "GET \/x HTTP\/1\.1" 200$/m, 2);
  });

  it('a plain-HTTP request or garbage costs only that connection: the same worker then serves HTTPS', async () => {
    const p = tlsProject();
    const gu = await startGu([...base, ...p.flags, '--log-level', 'debug'], { cwd: p.dir });
    const [pid] = gu.workerPids;
    await sendRaw(gu.url, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await sendRaw(gu.url, '\x16\x03\x01\x00\x05garbage-that-is-no-client-hello');
    await gu.waitForLog(/TLS handshake with 127\.0\.0\.1 failed/, 2);
    const seen = JSON.parse((await httpsGet(`${gu.url}/`, { ca: p.ca.cert })).body) as Seen;
    expect(seen.pid).toBe(pid);
    expect(gu.workerPids).toEqual([pid]);
    expect(gu.stderr).not.toMatch(/\[ERROR\]|\[CRITICAL\]/);
  });
});

describe('TLS versions (tls_min_version)', () => {
  it('TLSv1.3 refuses a client that offers at most TLS 1.2; the default TLSv1.2 serves it', async () => {
    const p = tlsProject();
    const strict = await startGu([...base, ...p.flags, '--tls-min-version', 'TLSv1.3'], { cwd: p.dir });
    await expect(httpsGet(`${strict.url}/`, { ca: p.ca.cert, maxVersion: 'TLSv1.2' })).rejects.toThrow(/version|protocol/i);
    expect((await httpsGet(`${strict.url}/`, { ca: p.ca.cert })).status).toBe(200);
    const lenient = await startGu([...base, ...p.flags], { cwd: p.dir });
    expect((await httpsGet(`${lenient.url}/`, { ca: p.ca.cert, maxVersion: 'TLSv1.2' })).status).toBe(200);
  });
});

describe('TLS client certificates (ca_certs, cert_reqs)', () => {
  it('cert_reqs 2 refuses a client without a certificate or with one ca_certs did not sign, and serves one it did', async () => {
    const p = tlsProject();
    const clientCa = selfSigned(p.dir, 'client-ca', 'gu client CA');
    const good = signed(p.dir, 'client', clientCa);
    const stranger = selfSigned(p.dir, 'stranger');
    const gu = await startGu([...base, ...p.flags, '--ca-certs', clientCa.cert, '--cert-reqs', '2'], { cwd: p.dir });
    const [pid] = gu.workerPids;
    await expect(httpsGet(`${gu.url}/`, { ca: p.ca.cert })).rejects.toThrow();
    await expect(httpsGet(`${gu.url}/`, { ca: p.ca.cert, client: stranger })).rejects.toThrow();
    const seen = JSON.parse((await httpsGet(`${gu.url}/`, { ca: p.ca.cert, client: good })).body) as Seen;
    expect(seen).toEqual({ pid, encrypted: true, authorized: true });
  });

  it('cert_reqs optional lets a client without a certificate in, unauthorized', async () => {
    const p = tlsProject();
    const good = signed(p.dir, 'client', p.ca);
    const gu = await startGu([...base, ...p.flags, '--ca-certs', p.ca.cert, '--cert-reqs', 'optional'], { cwd: p.dir });
    expect(JSON.parse((await httpsGet(`${gu.url}/`, { ca: p.ca.cert })).body)).toMatchObject({ authorized: false });
    expect(JSON.parse((await httpsGet(`${gu.url}/`, { ca: p.ca.cert, client: good })).body)).toMatchObject({ authorized: true });
  });
});

describe('TLS settings are checked before binding', () => {
  const cases: [string, (p: TlsProject) => string[], RegExp][] = [
    ['a missing certfile', (p) => ['--certfile', join(p.dir, 'nope.crt'), '--keyfile', p.server.key], /^gu: error: certfile \(--certfile\): cannot read \S+nope\.crt: ENOENT/],
    ['a key that does not match', (p) => ['--certfile', p.server.cert, '--keyfile', p.ca.key], /^gu: error: keyfile \(--keyfile\): the key in \S+ca\.key does not match the certificate in \S+server\.crt/],
    ['a certfile without keyfile', (p) => ['--certfile', p.server.cert], /^gu: error: certfile \(--certfile\): given without keyfile \(--keyfile\)/],
    ['a key in place of the certificate', (p) => ['--certfile', p.server.key, '--keyfile', p.server.key], /^gu: error: certfile \(--certfile\): \S+ holds no certificate/],
    ['an unknown cipher list', (p) => [...p.flags, '--ciphers', 'NO-SUCH-CIPHER'], /^gu: error: ciphers \(--ciphers\): refused by OpenSSL/],
    ['client certificates required without certfile', (p) => ['--ca-certs', p.ca.cert, '--cert-reqs', 'required'], /^gu: error: cert_reqs \(--cert-reqs\): required without certfile \(--certfile\) \(expected certfile and keyfile with it/],
    ['a cert_reqs out of range', (p) => [...p.flags, '--cert-reqs', '3'], /^gu: error: cert_reqs \(--cert-reqs\): invalid value "3" \(expected 0, 1 or 2, or none, optional or required\)/],
  ];
  it.each(cases)('%s: exit 2 with one line, nothing bound', async (_, flags, message) => {
    const p = tlsProject();
    const result = await runGu([...base, ...flags(p)], { cwd: p.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  });

  it('names the config file a TLS setting came from', async () => {
    const p = tlsProject();
    writeFileSync(join(p.dir, 'gu.config.mjs'), `export default { certfile: ${JSON.stringify(join(p.dir, 'gone.crt'))}, keyfile: ${JSON.stringify(p.server.key)} };\n`);
    const result = await runGu(base, { cwd: p.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^gu: error: certfile in \S+gu\.config\.mjs: cannot read /);
  });
});

describe('TLS across a reload (HUP)', () => {
  it('new workers read the renewed certificate; a keep-alive client keeps its answers; a broken one keeps the old workers', async () => {
    const p = tlsProject();
    const gu = await startGu([...base, ...p.flags, '-w', '2', '--keep-alive', '5'], { cwd: p.dir, workers: 2 });
    const first = await httpsGet(`${gu.url}/`, { ca: p.ca.cert });
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    let failures = 0;
    let answers = 0;
    const load = { running: true };
    const client = (async () => {
      while (load.running) {
        await httpsGet(`${gu.url}/`, { ca: p.ca.cert, agent }).then(() => (answers += 1), () => (failures += 1));
      }
    })();
    // Renewed in place, as certbot or a secret mount would: same paths, a new key and serial.
    const renewed = signed(p.dir, 'renewed', p.ca);
    copyFileSync(renewed.cert, p.server.cert);
    copyFileSync(renewed.key, p.server.key);
    const before = answers;
    gu.signal('SIGHUP');
    await gu.waitForLog(/Worker \(pid:\d+\) ready/, 4);
    // The old workers have stopped accepting once they exit: a new connection then meets a new worker.
    await gu.waitForLog(/Worker exiting \(pid: \d+\)/, 2, 30_000);
    const second = await httpsGet(`${gu.url}/`, { ca: p.ca.cert });
    expect(second.fingerprint).not.toBe(first.fingerprint);
    expect(second.serial).not.toBe(first.serial);
    load.running = false;
    await client;
    agent.destroy();
    expect(failures).toBe(0);
    expect(answers).toBeGreaterThan(before);

    writeFileSync(p.server.cert, 'not a certificate\n');
    const pids = gu.workerPids;
    gu.signal('SIGHUP');
    await gu.waitForLog(/Reload failed: /);
    const errors = gu.stderr.split('\n').filter((line) => line.includes('[ERROR]'));
    expect(errors).toEqual([expect.stringMatching(/Reload failed: certfile \(--certfile\): \S+server\.crt holds no certificate .*the workers keep serving/)]);
    const third = await httpsGet(`${gu.url}/`, { ca: p.ca.cert });
    expect(third.fingerprint).toBe(second.fingerprint);
    expect(gu.workerPids).toEqual(pids);
  }, 60_000);
});
