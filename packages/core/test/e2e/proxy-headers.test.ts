import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, httpGet, startGu, tempDir, type GuProcess } from '@gu/testkit';
import { rawGet, sendRaw } from '../support/raw-http.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'record-app.mjs');

afterEach(cleanUp);

async function startRecording(args: string[]): Promise<GuProcess> {
  return startGu([app, '-w', '1', '-k', join(fixtures, 'direct-worker.mjs'), ...args]);
}

const FORWARDED = {
  'X-Forwarded-For': '203.0.113.7',
  'X-Forwarded-Proto': 'https',
  'X-Forwarded-Host': 'example.com',
  Forwarded: 'for=203.0.113.7;proto=https',
};

interface Seen {
  pid: number;
  headers: Record<string, string>;
  rawHeaders: string[];
}

async function seenByApp(target: Parameters<typeof httpGet>[0], headers: Record<string, string> = FORWARDED): Promise<Seen> {
  const res = await httpGet(target, { headers });
  expect(res.status).toBe(200);
  return JSON.parse(res.body) as Seen;
}

describe('forwarded headers (forwarded_allow_ips)', () => {
  it('never reach the app from a peer that is not allowed', async () => {
    const gu = await startRecording(['-b', '127.0.0.1:0', '--forwarded-allow-ips', '10.0.0.1,fd00::/8']);
    const seen = await seenByApp(`${gu.url}/`, { ...FORWARDED, 'x-forwarded-ssl': 'on', 'X-Other': 'kept' });
    expect(Object.keys(seen.headers).filter((name) => /forward/.test(name))).toEqual([]);
    expect(seen.rawHeaders.filter((name) => /forward/i.test(name))).toEqual([]);
    expect(seen.headers['x-other']).toBe('kept');
  });

  it('reach the app from an allowed peer (127.0.0.1 and ::1 by default), the access log keeps the peer', async () => {
    const gu = await startRecording(['-b', '127.0.0.1:0', '--access-logfile', '-']);
    const seen = await seenByApp(`${gu.url}/`);
    expect(seen.headers).toMatchObject({
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'example.com',
      forwarded: 'for=203.0.113.7;proto=https',
    });
    await gu.waitForLog(/"GET \/ HTTP\/1\.1" 200/);
    expect(gu.stdout).toMatch(/^127\.0\.0\.1 - - \[/m);
  });

  it('reach the app from every peer with *, from a peer in a CIDR range, and from a unix-socket peer always', async () => {
    const star = await startRecording(['-b', '127.0.0.1:0', '--forwarded-allow-ips', '*']);
    expect((await seenByApp(`${star.url}/`)).headers['x-forwarded-for']).toBe('203.0.113.7');
    // A CIDR range that holds the peer, written with a space after the comma as in Gunicorn's docs.
    const range = await startRecording(['-b', '127.0.0.1:0', '--forwarded-allow-ips', '10.0.0.0/8, 127.0.0.0/8']);
    expect((await seenByApp(`${range.url}/`)).headers['x-forwarded-for']).toBe('203.0.113.7');
    const socketPath = join(tempDir('gu-proxy-'), 'gu.sock');
    await startRecording(['-b', `unix:${socketPath}`, '--forwarded-allow-ips', '10.0.0.1']);
    expect((await seenByApp({ socketPath, path: '/' })).headers['x-forwarded-for']).toBe('203.0.113.7');
  });
});

describe('secure_scheme_headers', () => {
  const conflicting = rawGet('/', ['X-Forwarded-Proto: https', 'X-Forwarded-Ssl: off']);

  it('that disagree are answered 400 with Connection: close from a trusted peer, without the app', async () => {
    const gu = await startRecording(['-b', '127.0.0.1:0']);
    const res = await sendRaw(gu.url, conflicting);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/\r\nConnection: close\r\n/i);
    expect((await seenByApp(`${gu.url}/after`)).pid).toBe(gu.workerPids[0]);
    await gu.waitForLog(/app: called GET \/after/);
    expect(gu.matches(/app: called /g)).toHaveLength(1);
  });

  it('are removed, not judged, from a peer that is not allowed', async () => {
    const gu = await startRecording(['-b', '127.0.0.1:0', '--forwarded-allow-ips', '10.0.0.1']);
    expect((await sendRaw(gu.url, conflicting)).status).toBe(200);
  });

  it('come from the config file', async () => {
    const dir = tempDir('gu-scheme-');
    const config = join(dir, 'gu.config.mjs');
    await import('node:fs').then(({ writeFileSync }) =>
      writeFileSync(config, 'export default { secureSchemeHeaders: { "X-Scheme": "https", "X-Forwarded-Proto": "https" } };\n'),
    );
    const gu = await startRecording(['-b', '127.0.0.1:0', '-c', config]);
    const res = await sendRaw(gu.url, rawGet('/', ['X-Forwarded-Proto: https', 'X-Scheme: http']));
    expect(res.status).toBe(400);
    // X-Forwarded-Ssl is no longer a scheme header there.
    expect((await sendRaw(gu.url, conflicting)).status).toBe(200);
  });
});
