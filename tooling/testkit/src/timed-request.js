// A request that records when each chunk of the response body arrives: how tests tell a streamed
// response from one buffered to its end.
import http from 'node:http';

/**
 * A request with node:http on a fresh connection (no keep-alive).
 * @returns {Promise<import('./index.d.ts').TimedResponse>}
 */
export function timedRequest(url, { method = 'GET', body, headers } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(url, { method, agent: false, headers }, (res) => {
      const chunks = [];
      const arrivals = [];
      res.on('data', (chunk) => {
        chunks.push(chunk);
        arrivals.push(performance.now() - started);
      });
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          trailers: res.trailers,
          body: Buffer.concat(chunks),
          arrivals,
          elapsedMs: performance.now() - started,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
