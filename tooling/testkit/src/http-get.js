// A minimal HTTP client for tests: TCP URLs and unix sockets alike, one connection per request.
import http from 'node:http';

/**
 * GET `target` (an `http://host:port/path` URL, or `{ socketPath, path }`) on a fresh connection.
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, body: string }>}
 */
export function httpGet(target, { headers = {}, method = 'GET', timeoutMs = 10_000 } = {}) {
  const options = typeof target === 'string' ? { ...urlOptions(target) } : { ...target };
  return new Promise((resolve, reject) => {
    const req = http.request({ ...options, method, headers, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${JSON.stringify(target)} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

function urlOptions(url) {
  const parsed = new URL(url);
  return { hostname: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port, path: `${parsed.pathname}${parsed.search}` };
}
