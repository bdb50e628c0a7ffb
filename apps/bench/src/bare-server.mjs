// The baseline: node:http alone, serving the same listener as gu. It prints the line the harness
// waits for, in the same form as gu's "Listening at:" line.
import http from 'node:http';
import hello from './hello.mjs';

// gu's --keep-alive default is 2 s; the same idle timeout keeps connection reuse identical.
const keepAliveMs = 2000;

const server = http.createServer({ keepAliveTimeout: keepAliveMs }, hello);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`Listening at: http://127.0.0.1:${port} (${process.pid})\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
