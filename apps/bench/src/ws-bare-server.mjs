// The WebSocket baseline: ws alone on node:http, one process, echoing each message as it came.
// Same ws options as gu's asgi worker (no compression, 16 MiB maxPayload); it prints the line the
// harness waits for, in the same form as gu's "Listening at:" line.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const server = http.createServer((req, res) => {
  res.writeHead(426).end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024, clientTracking: false });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`Listening at: http://127.0.0.1:${port} (${process.pid})\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
