// A closed-loop load of new connections: each client connects, sends one GET with
// `Connection: close`, reads the answer until the server closes, and starts over. autocannon cannot
// measure this: it writes its next request on a connection the server is closing, then loses
// track of it (p50 ~500 ms on a server answering in 1 ms), and with `reconnectRate` counts nothing.
import net from 'node:net';
import { percentile } from './stats.mjs';

const requestTimeoutMs = 10_000;
/**
 * Each connection comes from the next of these loopback addresses (127.0.0.2 to 127.0.0.254).
 * From one address, the ~28,000 ephemeral ports, each held 60 s in TIME_WAIT after its connection,
 * run out within seconds at a few thousand connections per second; connects then slow down and the
 * figures measure the port search instead of the server.
 */
const sourceAddresses = Array.from({ length: 253 }, (_, i) => `127.0.0.${i + 2}`);
let nextSource = 0;

/** One request on a new connection: resolves with its status (0: no status line) and latency in ms. */
function oneRequest(port, host) {
  return new Promise((resolve) => {
    const started = performance.now();
    const localAddress = host === '127.0.0.1' ? sourceAddresses[nextSource++ % sourceAddresses.length] : undefined;
    const socket = net.connect({ port, host, localAddress, noDelay: true });
    const chunks = [];
    const finish = (status) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, ms: performance.now() - started });
    };
    const timer = setTimeout(() => finish(-1), requestTimeoutMs);
    socket.on('connect', () => socket.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => finish(0));
    socket.on('end', () => {
      const match = /^HTTP\/1\.1 (\d{3}) /.exec(Buffer.concat(chunks).toString('latin1', 0, 16));
      finish(match ? Number(match[1]) : 0);
    });
  });
}

/**
 * Loads `url` for `seconds` with `connections` clients on new connections; resolves with the same
 * figures as load.mjs's measure(): { requestsPerSecond, p50, p99, requests, errors, timeouts,
 * non2xx, seconds } (requests: 2xx answers; errors: no answer; timeouts: none in 10 s).
 */
export async function measureFresh(url, { seconds, connections, signal }) {
  const { port, hostname } = new URL(url);
  const latencies = [];
  const tally = { errors: 0, timeouts: 0, non2xx: 0 };
  const started = performance.now();
  const endAt = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < endAt && !signal?.aborted) {
      const { status, ms } = await oneRequest(Number(port), hostname);
      if (status >= 200 && status < 300) latencies.push(ms);
      else if (status === -1) tally.timeouts += 1;
      else if (status === 0) tally.errors += 1;
      else tally.non2xx += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requests: latencies.length,
    ...tally,
    seconds: elapsed,
  };
}
