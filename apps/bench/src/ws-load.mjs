// The WebSocket load generator: `connections` raw TCP clients, each with one message in flight at a
// time (a closed loop, as autocannon runs HTTP). It speaks just enough of RFC 6455 to stay far
// cheaper than the servers it loads: every frame it sends is the same pre-masked 32-byte text
// message, and every frame it gets back is counted by its length (34 bytes: neither server
// compresses, and gu runs with --websocket-ping-interval 0, so only echoes arrive).
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

const PAYLOAD = Buffer.from('gu websocket benchmark, 32 bytes');
const ECHO_BYTES = 2 + PAYLOAD.length;

/** One masked text frame carrying PAYLOAD (clients must mask, RFC 6455 5.3). */
function maskedFrame() {
  const mask = randomBytes(4);
  const body = Buffer.from(PAYLOAD.map((byte, i) => byte ^ mask[i % 4]));
  return Buffer.concat([Buffer.from([0x81, 0x80 | PAYLOAD.length]), mask, body]);
}

/** Opens a WebSocket on a raw socket; resolves with the socket and the bytes after the 101 head. */
function handshake(url) {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    socket.setNoDelay(true);
    let head = Buffer.alloc(0);
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      const status = head.subarray(0, end).toString('latin1').split('\r\n')[0];
      if (!status.startsWith('HTTP/1.1 101')) reject(new Error(`handshake refused: ${status}`));
      else resolve({ socket, rest: head.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.write(
      `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** A client: sends one frame per echo it gets back, counting the echoes while `counting`. */
class EchoClient {
  constructor(socket, frame) {
    this.socket = socket;
    this.frame = frame;
    this.partial = 0;
    this.echoes = 0;
    this.running = true;
    socket.on('data', (chunk) => this.onData(chunk.length));
    socket.on('error', () => {
      this.running = false;
    });
  }

  onData(bytes) {
    const total = this.partial + bytes;
    const echoes = Math.floor(total / ECHO_BYTES);
    this.partial = total % ECHO_BYTES;
    this.echoes += echoes;
    if (this.running && echoes > 0) this.socket.write(echoes === 1 ? this.frame : Buffer.concat(Array(echoes).fill(this.frame)));
  }
}

/**
 * Loads the WebSocket echo at `url` (ws://… or http://…; the path is the socket's) for `seconds`
 * and resolves with { messagesPerSecond, messages, seconds, errors }: echoes received per second,
 * counted from the moment every connection is open.
 */
export async function measureWebSocket(url, { seconds, connections, signal }) {
  const opened = await Promise.all(Array.from({ length: connections }, () => handshake(url)));
  const clients = opened.map(({ socket, rest }) => {
    const client = new EchoClient(socket, maskedFrame());
    if (rest.length > 0) client.onData(rest.length);
    return client;
  });
  const startedAt = performance.now();
  for (const client of clients) client.socket.write(client.frame);
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
  const elapsed = (performance.now() - startedAt) / 1000;
  const messages = clients.reduce((sum, client) => sum + client.echoes, 0);
  const errors = clients.filter((client) => !client.running).length;
  for (const client of clients) {
    client.running = false;
    client.socket.destroy();
  }
  return { messagesPerSecond: messages / elapsed, messages, seconds: elapsed, errors };
}
