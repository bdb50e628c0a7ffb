import http from 'node:http';

export interface TimedResponse {
  status: number;
  body: Buffer;
  /** When each body chunk arrived, in ms since the request was sent. */
  arrivals: number[];
}

/** A GET with node:http, recording when each chunk of the body arrives. */
export function timedRequest(url: string): Promise<TimedResponse> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const arrivals: number[] = [];
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        arrivals.push(performance.now() - started);
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), arrivals });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
