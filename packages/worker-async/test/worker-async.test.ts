import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { join } from 'node:path';
import { cleanUp, httpGet, startGu, tempDir } from '@gu/testkit';

const fixtures = join(import.meta.dirname, 'fixtures');
const slowApp = join(fixtures, 'slow-app.mjs');
const bind = ['-b', '127.0.0.1:0'];

afterEach(cleanUp);

/** Sends a raw GET and resolves with everything the server wrote until it closed the connection. */
function rawGet(port: number, path: string, prefix: string | Buffer = '', headers = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(Buffer.concat([Buffer.from(prefix), Buffer.from(`GET ${path} HTTP/1.1\r\nHost: t\r\n${headers}Connection: close\r\n\r\n`)])));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => { resolve(data); });
  });
}

describe('@gu/worker-async', () => {
  it('is the default worker class and serves many requests at once', async () => {
    const gu = await startGu([slowApp, ...bind]);
    expect(gu.stderr).toContain('Using worker: async');
    const started = Date.now();
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => httpGet(`${gu.url}/?delay=300&id=${i}`)));
    expect(all.map((r) => r.body)).toEqual(Array.from({ length: 20 }, (_, i) => `done ${i}`));
    // Accepted sockets have TCP_NODELAY: without it a response in two segments waits ~40 ms for an ACK.
    expect(all.map((r) => r.headers['x-nodelay'])).toEqual(Array.from({ length: 20 }, () => 'true'));
    // Twenty 300 ms requests on one process finish together, not one after the other (6 s).
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('with worker_connections 2, five concurrent slow clients are all served, none reset', async () => {
    const gu = await startGu([slowApp, ...bind, '--worker-connections', '2', '-w', '1']);
    const port = Number(new URL(gu.url).port);
    const responses = await Promise.all(Array.from({ length: 5 }, (_, i) => rawGet(port, `/?delay=400&id=${i}`)));
    responses.forEach((raw, i) => {
      expect(raw).toMatch(/^HTTP\/1\.1 200 OK/);
      expect(raw.endsWith(`done ${i}`)).toBe(true);
      // The others waited in the backlog: never more than two connections were in the worker.
      expect(raw).toMatch(/x-max-active: [12]\r\n/i);
    });
    expect(gu.matches(/app: started/)).toHaveLength(5);
  });

  it('keeps connections alive per --keep-alive and closes them when it is 0', async () => {
    const gu = await startGu([slowApp, ...bind, '--keep-alive', '5']);
    const port = Number(new URL(gu.url).port);
    const socket = net.connect(port, '127.0.0.1');
    const replies: string[] = [];
    socket.setEncoding('utf8');
    const two = new Promise<void>((resolve) => {
      socket.on('data', (chunk: string) => {
        replies.push(chunk);
        if (replies.join('').match(/done/g)?.length === 2) resolve();
      });
    });
    socket.write('GET / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n');
    await two;
    expect(replies.join('')).toMatch(/Keep-Alive: timeout=5/);
    socket.destroy();

    const noKeepAlive = await startGu([slowApp, ...bind, '--keep-alive', '0']);
    const res = await httpGet(`${noKeepAlive.url}/`, { headers: { connection: 'keep-alive' } });
    expect(res.headers.connection).toBe('close');
  });

  it('writes an access log line in the default format to stdout', async () => {
    const gu = await startGu([slowApp, ...bind, '--access-logfile', '-']);
    await httpGet(`${gu.url}/items?id=7`, { headers: { 'user-agent': 'gu-test/1.0', referer: 'http://ref.example/' } });
    const [line] = await gu.waitForLog(/GET \/items/);
    expect(line!.input!.split('\n').find((l) => l.includes('GET /items'))).toMatch(
      /^127\.0\.0\.1 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}\] "GET \/items\?id=7 HTTP\/1\.1" 200 6 "http:\/\/ref\.example\/" "gu-test\/1\.0"$/,
    );
  });

  it('honours a custom access log format with header atoms', async () => {
    const format = '%(m)s %(U)s %(q)s %(s)s %({x-served-by}o)s %({user-agent}i)s %(p)s';
    const gu = await startGu([slowApp, ...bind, '--access-logfile', '-', '--access-logformat', format]);
    await httpGet(`${gu.url}/a?b=c`, { headers: { 'user-agent': 'fmt' } });
    const pid = gu.workerPids[0];
    await gu.waitForLog(new RegExp(`^GET /a b=c 200 ${pid} fmt <${pid}>$`, 'm'));
  });

  it('serves an Express 5 app', async () => {
    const gu = await startGu([`${join(fixtures, 'express-app.mjs')}:app`, ...bind, '-w', '2'], { workers: 2 });
    const res = await httpGet(`${gu.url}/users/42`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ id: '42' });
    const echoed = await fetch(`${gu.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'gu' }),
    });
    expect(echoed.status).toBe(201);
    expect(await echoed.json()).toEqual({ hello: 'gu' });
  });

  it('serves HTTPS with --certfile/--keyfile, and Express sees req.protocol https', async () => {
    // A throwaway self-signed certificate for localhost: no private key is committed.
    const dir = tempDir('gu-async-tls-');
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')];
    execFileSync('/usr/bin/openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
    const gu = await startGu([`${join(fixtures, 'express-app.mjs')}:app`, ...bind, '--certfile', cert, '--keyfile', key]);
    expect(gu.url).toMatch(/^https:/);
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`${gu.url}/protocol`, { ca: readFileSync(cert), servername: 'localhost', agent: false }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => { resolve(text); });
        })
        .on('error', reject);
    });
    expect(JSON.parse(body)).toEqual({ protocol: 'https', secure: true });
  });

  // Issue 7: behind a TCP proxy the PROXY header's client is what Express's req.ip reports, and a
  // client (declared or direct) that gu does not trust cannot choose its address by X-Forwarded-For.
  it('Express (trust proxy) sees the client a PROXY v1 or v2 header declares, and no forged X-Forwarded-For', async () => {
    const express = `${join(fixtures, 'express-app.mjs')}:app`;
    const gu = await startGu([express, ...bind, '--proxy-protocol', 'auto']);
    const forged = 'X-Forwarded-For: 198.51.100.1\r\n';
    const seenOn = async (url: string, prefix: string | Buffer, headers: string): Promise<unknown> => {
      const answer = await rawGet(Number(new URL(url).port), '/ip', prefix, headers);
      return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    };
    const ipOf = (prefix: string | Buffer, headers: string): Promise<unknown> => seenOn(gu.url, prefix, headers);
    const v1 = 'PROXY TCP4 203.0.113.9 127.0.0.1 51234 80\r\n';
    expect(await ipOf(v1, forged)).toEqual({ ip: '203.0.113.9', remoteAddress: '203.0.113.9' });
    // v2: signature, PROXY command over TCP/IPv4, 12 address bytes: 192.0.2.7:4000 -> 127.0.0.1:80.
    const v2 = Buffer.concat([
      Buffer.from('0d0a0d0a000d0a515549540a', 'hex'), Buffer.from([0x21, 0x11, 0, 12]),
      Buffer.from([192, 0, 2, 7, 127, 0, 0, 1]), Buffer.from([0x0f, 0xa0, 0, 80]),
    ]);
    expect(await ipOf(v2, forged)).toEqual({ ip: '192.0.2.7', remoteAddress: '192.0.2.7' });
    // A proxy on the loopback that declares a loopback client: both gu and Express trust the hop.
    expect(await ipOf('PROXY TCP4 127.0.0.1 127.0.0.1 1 80\r\n', forged)).toEqual({ ip: '198.51.100.1', remoteAddress: '127.0.0.1' });

    // A direct client gu does not trust: Express trusts its loopback peer, so only gu's removal of the header protects it.
    const untrusting = await startGu([express, ...bind, '--forwarded-allow-ips', '10.0.0.1']);
    expect(await seenOn(untrusting.url, '', forged)).toEqual({ ip: '127.0.0.1', remoteAddress: '127.0.0.1' });
  });
});
