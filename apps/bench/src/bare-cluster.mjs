// node:http in N processes (node:cluster) accepting on one shared socket (SCHED_NONE: each process
// accepts for itself, as gu's workers do). The sync scenario's baseline answers every request with
// `Connection: close` as a sync worker must; BENCH_CLUSTER_KEEPALIVE=1 keeps connections open, as
// the chart's node:cluster does. Prints the lines the harness waits for.
import cluster from 'node:cluster';
import http from 'node:http';
import hello from './hello.mjs';

const workers = Number(process.env.BENCH_CLUSTER_WORKERS ?? 2);
const keepAlive = process.env.BENCH_CLUSTER_KEEPALIVE === '1';

if (cluster.isPrimary) {
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let listening = 0;
  cluster.on('listening', (worker, address) => {
    process.stdout.write(`Worker (pid:${worker.process.pid}) ready\n`);
    listening += 1;
    if (listening === workers) process.stdout.write(`Listening at: http://127.0.0.1:${address.port} (${process.pid})\n`);
  });
  for (let i = 0; i < workers; i += 1) cluster.fork();
  const stop = () => {
    for (const worker of Object.values(cluster.workers)) worker.kill();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  const server = http.createServer((req, res) => {
    if (!keepAlive) res.shouldKeepAlive = false;
    hello(req, res);
  });
  // Port 0 in a cluster: the primary binds once and every worker shares that socket.
  server.listen(0, '127.0.0.1');
}
