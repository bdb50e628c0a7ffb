import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, httpGet, startGu, type GuProcess } from '@gu/testkit';
import { rawGet, sendExpectingContinue, sendRaw } from '../support/raw-http.js';

const fixtures = join(import.meta.dirname, '../fixtures/e2e');
const app = join(fixtures, 'record-app.mjs');

afterEach(cleanUp);

async function startRecording(args: string[] = []): Promise<GuProcess> {
  return startGu([app, '-w', '1', '-b', '127.0.0.1:0', '-k', join(fixtures, 'direct-worker.mjs'), ...args]);
}

/** How many times the app was called, once a later request has shown the worker logged everything before it. */
async function appCallsBefore(gu: GuProcess, mark: string): Promise<number> {
  const res = await httpGet(`${gu.url}/${mark}`);
  expect(JSON.parse(res.body)).toMatchObject({ pid: gu.workerPids[0] });
  await gu.waitForLog(new RegExp(`app: called GET /${mark}`));
  return gu.matches(/app: called /g).length - 1;
}

/** A request of the form `GET /aaa… HTTP/1.1` whose request line is `length` bytes long. */
function lineOf(length: number): string {
  return `/${'a'.repeat(length - 'GET / HTTP/1.1'.length)}`;
}

/** `count` header lines (Host and Connection included, as rawGet adds them) of `size` bytes each, CRLF included. */
function fields(count: number, size = 12): string[] {
  return Array.from({ length: count - 2 }, (_, i) => {
    const name = `X-F${String(i).padStart(5, '0')}`;
    return `${name}: ${'v'.repeat(size - name.length - 4)}`;
  });
}

describe('limit_request_line (default 4094)', () => {
  it('passes a request line of exactly 4094 bytes and answers one of 4095 with 414, without the app', async () => {
    const gu = await startRecording();
    expect((await sendRaw(gu.url, rawGet(lineOf(4094)))).status).toBe(200);
    const over = await sendRaw(gu.url, rawGet(lineOf(4095)));
    expect(over.status).toBe(414);
    expect(over.text).toMatch(/\r\nConnection: close\r\n/i);
    expect(await appCallsBefore(gu, 'after')).toBe(1);
  });

  it('goes up to 8190, and 0 means unlimited', async () => {
    const gu = await startRecording(['--limit-request-line', '8190']);
    expect((await sendRaw(gu.url, rawGet(lineOf(8190)))).status).toBe(200);
    expect((await sendRaw(gu.url, rawGet(lineOf(8191)))).status).toBe(414);
    const unlimited = await startRecording(['--limit-request-line', '0']);
    expect((await sendRaw(unlimited.url, rawGet(lineOf(100_000)))).status).toBe(200);
  });
});

describe('limit_request_fields (default 100)', () => {
  it('passes 100 header fields and answers 101 with 431, without the app', async () => {
    const gu = await startRecording();
    expect((await sendRaw(gu.url, rawGet('/', fields(100)))).status).toBe(200);
    const over = await sendRaw(gu.url, rawGet('/', fields(101)));
    expect(over.status).toBe(431);
    // gu's own answer (node's has no body): gu's limit is what decides, not node's.
    expect(over.text).toMatch(/\r\nConnection: close\r\n/i);
    expect(over.text).toMatch(/\r\n\r\nRequest Header Fields Too Large\n$/);
    expect(await appCallsBefore(gu, 'after')).toBe(1);
  });

  it('takes Gunicorn’s maximum of 32768 fields, above node’s own default of 2000', async () => {
    const gu = await startRecording(['--limit-request-fields', '32768']);
    expect((await sendRaw(gu.url, rawGet('/', fields(32768)))).status).toBe(200);
    expect((await sendRaw(gu.url, rawGet('/', fields(32769)))).status).toBe(431);
  });
});

describe('limit_request_field_size (default 8190)', () => {
  it('passes a field of exactly 8190 bytes (CRLF included) and answers 8191 with 431, without the app', async () => {
    const gu = await startRecording();
    expect((await sendRaw(gu.url, rawGet('/', fields(3, 8190)))).status).toBe(200);
    const over = await sendRaw(gu.url, rawGet('/', fields(3, 8191)));
    expect(over.status).toBe(431);
    expect(over.text).toMatch(/\r\n\r\nRequest Header Fields Too Large\n$/);
    expect(await appCallsBefore(gu, 'after')).toBe(1);
  });

  it('reads 0 as the default 8190, as Gunicorn 26 does, and admits a larger setting', async () => {
    const zero = await startRecording(['--limit-request-field_size', '0']);
    expect((await sendRaw(zero.url, rawGet('/', fields(3, 8190)))).status).toBe(200);
    expect((await sendRaw(zero.url, rawGet('/', fields(3, 8191)))).status).toBe(431);
    const larger = await startRecording(['--limit-request-field_size', '9000']);
    expect((await sendRaw(larger.url, rawGet('/', fields(3, 9000)))).status).toBe(200);
  });

  it('admits a head at every limit at once (800 KiB), far above node’s own 16 KiB', async () => {
    const gu = await startRecording();
    const res = await sendRaw(gu.url, rawGet(lineOf(4094), fields(100, 8190)));
    expect(res.status).toBe(200);
  });
});

describe('limit_request_body (default 0: unlimited)', () => {
  const post = (headers: string[], body: string): string =>
    ['POST /upload HTTP/1.1', 'Host: t', ...headers, 'Connection: close', '', body].join('\r\n');

  it('passes a Content-Length at the limit and answers one byte more with 413, without the app', async () => {
    const gu = await startRecording(['--limit-request-body', '10']);
    expect((await sendRaw(gu.url, post(['Content-Length: 10'], 'x'.repeat(10)))).status).toBe(200);
    const over = await sendRaw(gu.url, post(['Content-Length: 11'], 'x'.repeat(11)));
    expect(over.status).toBe(413);
    expect(over.text).toMatch(/\r\nConnection: close\r\n/i);
    expect(await appCallsBefore(gu, 'after')).toBe(1);
  });

  it('counts a chunked body as it arrives: over the limit, 413 and the app never gets the body', async () => {
    const gu = await startRecording(['--limit-request-body', '10']);
    const chunked = (size: number): string =>
      post(['Transfer-Encoding: chunked'], `${size.toString(16)}\r\n${'x'.repeat(size)}\r\n0\r\n\r\n`);
    expect((await sendRaw(gu.url, chunked(10))).status).toBe(200);
    await gu.waitForLog(/app: body 10/);
    const over = await sendRaw(gu.url, chunked(11));
    expect(over.status).toBe(413);
    await appCallsBefore(gu, 'after');
    expect(gu.matches(/app: body (\d+)/g).map((match) => match[0])).toEqual(['app: body 10', 'app: body 0']);
  });

  it('answers Expect: 100-continue with 413 at once, so the client never sends a body over the limit', async () => {
    const gu = await startRecording(['--limit-request-body', '10']);
    const expecting = (length: number): string => post(['Expect: 100-continue', `Content-Length: ${length}`], '');
    const within = await sendExpectingContinue(gu.url, expecting(10), 'x'.repeat(10));
    expect(within).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    const over = await sendExpectingContinue(gu.url, expecting(11), 'x'.repeat(11));
    expect(over).toMatch(/^HTTP\/1\.1 413 /);
    expect(await appCallsBefore(gu, 'after')).toBe(1);
  });

  it('lets a client still uploading read its 413 (no reset while it sends 8 MB), with a length or chunked', async () => {
    const gu = await startRecording(['--limit-request-body', '10']);
    const size = 8_000_000;
    const upload = (header: string, prefix: string): Buffer =>
      Buffer.concat([Buffer.from(post([header], prefix)), Buffer.alloc(size, 120)]);
    expect((await sendRaw(gu.url, upload(`Content-Length: ${size}`, ''))).status).toBe(413);
    expect((await sendRaw(gu.url, upload('Transfer-Encoding: chunked', `${size.toString(16)}\r\n`))).status).toBe(413);
  });

  it('leaves bodies alone by default', async () => {
    const gu = await startRecording();
    const body = 'x'.repeat(1_000_000);
    expect((await sendRaw(gu.url, post([`Content-Length: ${body.length}`], body))).status).toBe(200);
  });
});

describe('a refusal while the client is still sending 8 MB: it reads its 400, no reset, and the app never sees the request', () => {
  const junk = Buffer.alloc(8_000_000, 120);
  it.each([
    // Refused by the front's request checks (head-guard.ts), not by node's parser.
    ['two Host fields', ['POST /upload HTTP/1.1', 'Host: a', 'Host: b', `Content-Length: ${junk.length}`, '', ''].join('\r\n')],
    // node:http's own answer (requireHostHeader) reset the connection; the request checks answer it now.
    ['an HTTP/1.1 request without Host', ['POST /upload HTTP/1.1', `Content-Length: ${junk.length}`, '', ''].join('\r\n')],
    // A parse error in a body still held from the app (chunked-hold.ts).
    ['a chunk size llhttp refuses', ['POST /upload HTTP/1.1', 'Host: a', 'Transfer-Encoding: chunked', '', '5', 'hello', '6_0', ''].join('\r\n')],
  ])('%s', async (_name, head) => {
    const gu = await startRecording();
    const answer = await sendRaw(gu.url, Buffer.concat([Buffer.from(head), junk]));
    expect(answer.status).toBe(400);
    expect(await appCallsBefore(gu, 'after')).toBe(0);
  });
});
