// One load run with autocannon against one URL. Latencies are collected here, per response, in
// fractional milliseconds: autocannon's own histogram rounds to whole milliseconds, which on
// loopback would make a p99 ratio jump in steps of 10-20 %.
import autocannon from 'autocannon';
import { percentile } from './stats.mjs';

/**
 * Loads `url` for `seconds` with `connections` keep-alive connections and resolves with
 * { requestsPerSecond, p50, p99, requests, errors, timeouts, non2xx, seconds }. `signal` stops it
 * early (the result is still returned).
 */
export async function measure(url, { seconds, connections, signal }) {
  const latencies = [];
  const run = autocannon({ url, connections, duration: seconds, pipelining: 1 });
  run.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const stop = () => run.stop();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const result = await run;
    latencies.sort((a, b) => a - b);
    return {
      requestsPerSecond: result.requests.total / result.duration,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      requests: result.requests.total,
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      seconds: result.duration,
    };
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
