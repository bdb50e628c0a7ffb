// A WebSocket chat as an ASGI app, served by gu's asgi worker class:
//   GET /  the page (page.html);  /ws  a WebSocket that broadcasts each message to every client
// connected to this worker process. Run it with `tooling/run chat` (gu app.mjs -k asgi -w 1): one
// worker, because the clients are known per process (see README.md).
import { readFileSync } from 'node:fs';

const page = readFileSync(new URL('./page.html', import.meta.url));
const encoder = new TextEncoder();
const header = (name, value) => [encoder.encode(name), encoder.encode(value)];

/** The open chat sockets of this process: each one's name and how to send it a text. */
const members = new Map();
let joined = 0;

/** Sends `text` to every member; waits until each took it (a slow reader slows the sender down). */
async function broadcast(text) {
  const sends = [...members.values()].map((member) => member.send({ type: 'websocket.send', text }));
  await Promise.allSettled(sends);
}

async function chat(scope, receive, send) {
  await receive(); // websocket.connect
  await send({ type: 'websocket.accept' });
  joined += 1;
  const name = `guest-${joined}`;
  members.set(name, { send });
  await broadcast(`* ${name} joined (${members.size} online)`);
  try {
    for (;;) {
      const event = await receive();
      if (event.type === 'websocket.disconnect') break;
      const text = (event.text ?? new TextDecoder().decode(event.bytes)).trim().slice(0, 2000);
      if (text !== '') await broadcast(`${name}: ${text}`);
    }
  } finally {
    members.delete(name);
    await broadcast(`* ${name} left (${members.size} online)`);
  }
}

async function http(scope, receive, send) {
  const found = scope.path === '/';
  const allowed = scope.method === 'GET' || scope.method === 'HEAD';
  const status = !found ? 404 : allowed ? 200 : 405;
  const body = status === 200 ? page : encoder.encode(status === 404 ? 'Not Found\n' : 'Method Not Allowed\n');
  const type = status === 200 ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8';
  await send({ type: 'http.response.start', status, headers: [header('content-type', type), header('content-length', String(body.byteLength))] });
  await send({ type: 'http.response.body', body: scope.method === 'HEAD' ? new Uint8Array(0) : body });
}

/** Nothing to set up or tear down, but an app that speaks lifespan says so. */
async function lifespan(scope, receive, send) {
  for (;;) {
    const event = await receive();
    if (event.type === 'lifespan.startup') await send({ type: 'lifespan.startup.complete' });
    if (event.type === 'lifespan.shutdown') return send({ type: 'lifespan.shutdown.complete' });
  }
}

export default async function app(scope, receive, send) {
  if (scope.type === 'lifespan') return lifespan(scope, receive, send);
  if (scope.type === 'http') return http(scope, receive, send);
  if (scope.path === '/ws') return chat(scope, receive, send);
  await receive();
  return send({ type: 'websocket.close' }); // any other WebSocket path: 403
}
