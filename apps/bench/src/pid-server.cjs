// pid-app.mjs on a plain node:http server, for `pm2 start -i N` (node:cluster: every instance's
// listen(0) shares one port). CommonJS because pm2's cluster container loads apps with require().
// Each instance appends "PID PORT" to $ZERO_LOSS_PID_FILE, which tells zero-loss.mjs the port and
// every pid to kill at the end. On SIGINT (pm2's stop and reload signal) it stops accepting and
// exits once its connections are done, as pm2's documentation asks of a graceful app.
const { appendFileSync } = require('node:fs');
const http = require('node:http');
const pidApp = require('./pid-app.mjs').default;

const server = http.createServer({ keepAliveTimeout: 2000 }, pidApp);
server.listen(0, '127.0.0.1', () => {
  const file = process.env.ZERO_LOSS_PID_FILE;
  if (file) appendFileSync(file, `${process.pid} ${server.address().port}\n`);
});
process.on('SIGINT', () => server.close(() => process.exit(0)));
