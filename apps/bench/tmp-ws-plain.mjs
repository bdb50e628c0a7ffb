import { WebSocketServer } from 'ws';
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024, clientTracking: false });
wss.on('connection', (ws) => ws.on('message', (d, b) => ws.send(d, { binary: b })));
export default {
  framework: 'listener',
  listener: (req, res) => res.writeHead(426).end(),
  upgrade: (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
};
