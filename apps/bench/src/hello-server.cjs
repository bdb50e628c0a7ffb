// hello.mjs on a plain node:http server, for `pm2-runtime start hello-server.cjs -i N` (node:cluster:
// every instance's listen(0) shares one port). CommonJS because pm2's cluster container loads apps
// with require(). Each instance prints the lines the harness waits for (see servers.mjs).
const http = require('node:http');
const hello = require('./hello.mjs').default;

const server = http.createServer(hello);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`Listening at: http://127.0.0.1:${server.address().port} (${process.pid})\n`);
  process.stdout.write(`Worker (pid:${process.pid}) ready\n`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
