// A CPU-bound handler: about 5 ms of sha256 work per request (a fixed number of rounds, measured
// once at load so that every server does the same work per request).
import { createHash } from 'node:crypto';

const ROUNDS = calibrate(5);

function work(rounds) {
  let digest = Buffer.alloc(32);
  for (let i = 0; i < rounds; i++) digest = createHash('sha256').update(digest).digest();
  return digest;
}

function calibrate(ms) {
  const started = performance.now();
  work(20000);
  return Math.round((20000 * ms) / (performance.now() - started));
}

export default function shaApp(req, res) {
  res.setHeader('Content-Type', 'text/plain');
  res.end(work(Number(process.env.GU_BENCH_SHA_ROUNDS) || ROUNDS).toString('hex'));
}
