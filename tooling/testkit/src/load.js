// A bounded HTTP load generator for zero-loss tests: clients on one keep-alive connection each and
// clients that open a new connection per request, run one request after another until stopped, a
// request count or a duration is reached. It never retries: a failed request is what it measures.
import http from 'node:http';

/** Node's errors for a connection closed before any byte of the response ('socket hang up'). */
const HANG_UP = 'socket hang up';

/** Node's message for a response whose connection was lost mid-body (code ECONNRESET too). */
const ABORTED = 'aborted';

/**
 * The key a failure is counted under: `status 5xx`, 'timeout', 'socket hang up' (the peer closed
 * the connection before answering; Node gives it the code ECONNRESET, kept apart here because it
 * is the keep-alive race), 'aborted' (the answer started but its body was cut), else the error's
 * code (ECONNRESET for a reset before any answer, ECONNREFUSED, EPIPE…) or its message.
 * @param {Error & { code?: string }} error
 */
function failureKey(error) {
  if (error.message === HANG_UP || error.message === ABORTED) return error.message;
  return error.code ?? error.message;
}

class RequestTimeout extends Error {
  constructor(ms) {
    super(`no complete answer within ${ms} ms`);
    this.code = 'timeout';
  }
}

/** @param {string} name @param {unknown} value @param {number} min */
function checkInteger(name, value, min) {
  if (!Number.isInteger(value) || value < min) throw new TypeError(`startLoad: ${name} must be an integer >= ${min}, got ${String(value)}`);
  return value;
}

function emptyReport() {
  return {
    sent: 0,
    ok: 0,
    failed: 0,
    failures: {},
    byKind: { keepAlive: { sent: 0, failed: 0 }, fresh: { sent: 0, failed: 0 } },
    bodies: new Map(),
    durationMs: 0,
  };
}

/**
 * One GET; resolves (never rejects) with `{ ok: true, body }` once the whole body was read and the
 * status is below 500, else with `{ ok: false, key }`.
 */
function oneRequest(requestOptions, timeoutMs) {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const fail = (error) => settle({ ok: false, key: failureKey(error) });
    const req = http.request(requestOptions, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      // A connection lost mid-body: 'error' (message 'aborted'), and 'close' without 'end'.
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(new Error(ABORTED));
      });
      res.on('end', () => {
        if (!res.complete) return fail(new Error(ABORTED));
        const status = res.statusCode ?? 0;
        if (status >= 500) return settle({ ok: false, key: `status ${status}` });
        settle({ ok: true, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => {
      const error = new RequestTimeout(timeoutMs);
      fail(error);
      req.destroy(error);
    }, timeoutMs);
    req.on('error', fail);
    req.end();
  });
}

/**
 * Starts the load at once; see index.d.ts for the options and the report.
 * @param {import('./index.js').LoadOptions} options
 * @returns {import('./index.js').RunningLoad}
 */
export function startLoad(options) {
  const url = new URL(options.url);
  if (url.protocol !== 'http:') throw new TypeError(`startLoad: only http: URLs, got ${options.url}`);
  const keepAliveClients = checkInteger('keepAliveClients', options.keepAliveClients ?? 4, 0);
  const freshClients = checkInteger('freshClients', options.freshClients ?? 4, 0);
  const maxRequests = checkInteger('maxRequests', options.maxRequests ?? 100_000, 0);
  const maxDurationMs = checkInteger('maxDurationMs', options.maxDurationMs ?? 30_000, 0);
  const requestTimeoutMs = checkInteger('requestTimeoutMs', options.requestTimeoutMs ?? 10_000, 1);
  const target = {
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || 80,
    path: options.path ?? '/',
    method: 'GET',
  };

  const report = emptyReport();
  const started = performance.now();
  let stopping = false;
  const agents = [];

  const record = (kind, outcome) => {
    if (outcome.ok) {
      report.ok += 1;
      report.bodies.set(outcome.body, (report.bodies.get(outcome.body) ?? 0) + 1);
      return;
    }
    report.failed += 1;
    report.byKind[kind].failed += 1;
    report.failures[outcome.key] = (report.failures[outcome.key] ?? 0) + 1;
  };

  /** One client: one request after another until the load stops or the request budget is spent. */
  const client = async (kind, requestOptions) => {
    while (!stopping && report.sent < maxRequests) {
      report.sent += 1;
      report.byKind[kind].sent += 1;
      record(kind, await oneRequest(requestOptions, requestTimeoutMs));
    }
  };

  const clients = [];
  for (let i = 0; i < keepAliveClients; i += 1) {
    // maxSockets 1: every request of this client goes over the same connection, one after another,
    // and the agent's default handling of the server's `Keep-Alive: timeout=N` hint stays as is.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    clients.push(client('keepAlive', { ...target, agent }));
  }
  for (let i = 0; i < freshClients; i += 1) {
    clients.push(client('fresh', { ...target, agent: false, headers: { connection: 'close' } }));
  }

  const deadline = setTimeout(() => {
    stopping = true;
  }, maxDurationMs);
  const done = Promise.all(clients).then(() => {
    clearTimeout(deadline);
    stopping = true;
    for (const agent of agents) agent.destroy();
    report.durationMs = performance.now() - started;
    return report;
  });

  return {
    get sent() {
      return report.sent;
    },
    get failed() {
      return report.failed;
    },
    stop() {
      stopping = true;
      return done;
    },
    done,
  };
}

/**
 * Resolves once `load` has sent `count` more requests than now; polled, since the load emits no
 * event. Fails at once if the load ended first (its time or count bound), and after `timeoutMs`.
 * @param {import('./index.js').RunningLoad} load
 * @param {number} count
 */
export async function moreRequests(load, count, timeoutMs = 15_000) {
  const target = load.sent + count;
  const deadline = performance.now() + timeoutMs;
  const state = { ended: false };
  void load.done.then(() => (state.ended = true));
  while (load.sent < target) {
    if (state.ended) throw new Error(`the load ended before ${count} more requests (sent ${load.sent})`);
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${count} more requests`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
