import http from 'node:http';

/** A GET on a new connection, with how long the answer took and how the connection ended. */
export interface TimedAnswer {
  readonly status: number;
  readonly body: string;
  readonly connection: string | undefined;
  readonly ms: number;
}

/** GETs `url` on its own connection and measures from the request to the end of the answer. */
export function timedGet(url: string): Promise<TimedAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection, ms: performance.now() - started });
        });
      })
      .on('error', reject);
  });
}
