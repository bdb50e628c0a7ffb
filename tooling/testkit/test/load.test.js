// startLoad against an in-process node:http server on 127.0.0.1, port 0 (run with `node --test`:
// the testkit is plain JavaScript and has no vitest of its own).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startLoad } from '../src/index.js';

/** Connections the server accepted, and the sockets still open (destroyed in `after`). */
let connections = 0;
const sockets = new Set();
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/fail') {
    res.statusCode = 503;
    res.end('unavailable');
  } else if (url.pathname === '/hang-up') {
    req.socket.destroy();
  } else if (url.pathname === '/cut') {
    // Promises 100 bytes, sends 5, and closes: the body never arrives whole.
    res.setHeader('content-length', '100');
    res.write('short');
    setTimeout(() => req.socket.destroy(), 10);
  } else if (url.pathname === '/never') {
    // Answers nothing; the client's timeout has to end it.
  } else {
    res.end('pong');
  }
});
server.on('connection', (socket) => {
  connections += 1;
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
});
let url = '';

before(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  url = `http://127.0.0.1:${address.port}/`;
});

after(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('startLoad', () => {
  it('stops at maxRequests, one connection per keep-alive client and one per fresh request', async () => {
    const before = connections;
    const report = await startLoad({ url, keepAliveClients: 2, freshClients: 3, maxRequests: 60 }).done;
    assert.equal(report.sent, 60);
    assert.equal(report.ok, 60);
    assert.equal(report.failed, 0);
    assert.deepEqual(report.failures, {});
    assert.equal(report.byKind.keepAlive.sent + report.byKind.fresh.sent, 60);
    assert.ok(report.byKind.keepAlive.sent > 0 && report.byKind.fresh.sent > 0);
    assert.deepEqual([...report.bodies], [['pong', 60]]);
    assert.equal(connections - before, 2 + report.byKind.fresh.sent);
    assert.ok(report.durationMs > 0);
    // The server keeps idle connections 60 s: only the load's destroying its agents closes them.
    for (let i = 0; i < 100 && sockets.size > 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(sockets.size, 0);
  });

  it('stops after maxDurationMs', async () => {
    const started = Date.now();
    const report = await startLoad({ url, keepAliveClients: 1, freshClients: 1, maxRequests: 10_000_000, maxDurationMs: 300 }).done;
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290 && elapsed < 3000, `took ${elapsed} ms`);
    assert.ok(report.sent > 0 && report.sent < 10_000_000);
    assert.equal(report.ok + report.failed, report.sent);
  });

  it('stop() ends it early and counts as it goes', async () => {
    const load = startLoad({ url, maxDurationMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(load.sent > 0);
    assert.equal(load.failed, 0);
    const report = await load.stop();
    assert.equal(report, await load.done);
    assert.ok(report.durationMs < 5000);
    assert.equal(report.sent, report.ok);
  });

  it('counts 5xx answers by status, per kind of client', async () => {
    const report = await startLoad({ url, path: '/fail', keepAliveClients: 1, freshClients: 1, maxRequests: 10 }).done;
    assert.equal(report.failed, 10);
    assert.equal(report.ok, 0);
    assert.deepEqual(report.failures, { 'status 503': 10 });
    assert.equal(report.byKind.keepAlive.failed + report.byKind.fresh.failed, 10);
    assert.equal(report.bodies.size, 0);
  });

  it('counts a connection closed before any answer as socket hang up, without retrying', async () => {
    const report = await startLoad({ url, path: '/hang-up', keepAliveClients: 2, freshClients: 2, maxRequests: 12 }).done;
    assert.equal(report.sent, 12);
    assert.deepEqual(report.failures, { 'socket hang up': 12 });
  });

  it('counts a body cut short as aborted', async () => {
    const report = await startLoad({ url, path: '/cut', keepAliveClients: 1, freshClients: 1, maxRequests: 4 }).done;
    assert.deepEqual(report.failures, { aborted: 4 });
  });

  it('counts a request unanswered for requestTimeoutMs as timeout', async () => {
    const report = await startLoad({ url, path: '/never', keepAliveClients: 1, freshClients: 1, maxRequests: 2, requestTimeoutMs: 150 }).done;
    assert.deepEqual(report.failures, { timeout: 2 });
  });

  it('counts a refused connection as ECONNREFUSED', async () => {
    const closed = net.createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', () => resolve(undefined)));
    const { port } = /** @type {import('node:net').AddressInfo} */ (closed.address());
    await new Promise((resolve) => closed.close(resolve));
    const report = await startLoad({ url: `http://127.0.0.1:${port}/`, keepAliveClients: 1, freshClients: 1, maxRequests: 6 }).done;
    assert.deepEqual(report.failures, { ECONNREFUSED: 6 });
    assert.deepEqual(report.byKind, { keepAlive: { sent: 3, failed: 3 }, fresh: { sent: 3, failed: 3 } });
  });

  it('leaves nothing that keeps the process alive', async () => {
    // A child runs a load (whose maxDurationMs, 30 s by default, is far from reached) against this
    // server, and must exit by itself as soon as the load is done.
    const script = `import { startLoad } from ${JSON.stringify(new URL('../src/index.js', import.meta.url).href)};
      const report = await startLoad({ url: ${JSON.stringify(url)}, maxRequests: 40 }).done;
      console.log(report.ok);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const [code, signal] = await new Promise((resolve) => child.once('exit', (...args) => resolve(args)));
    clearTimeout(killer);
    assert.deepEqual([code, signal], [0, null]);
    assert.equal(out.trim(), '40');
  });

  it('rejects options it cannot honour', () => {
    assert.throws(() => startLoad({ url, maxRequests: -1 }), TypeError);
    assert.throws(() => startLoad({ url: 'https://127.0.0.1:1/' }), TypeError);
  });
});
