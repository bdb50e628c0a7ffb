// A Hono app served by gu: `export default app` is all gu needs (-k asgi runs it as a fetch-style app).
import { Hono } from 'hono';
import { streamText } from 'hono/streaming';

const app = new Hono();

app.get('/', (c) => c.text(`Hello from Hono, served by gu worker ${process.pid}\n`));

app.get('/json', (c) => c.json({ framework: 'hono', server: 'gu', worker: process.pid }));

// Echoes a JSON body back: the request body reaches Hono as a stream, read by c.req.json().
app.post('/json', async (c) => c.json(await c.req.json(), 201));

// Five lines 200 ms apart: each reaches the client when it is written, not at the end.
app.get('/stream', (c) =>
  streamText(c, async (stream) => {
    for (let tick = 1; tick <= 5; tick++) {
      await stream.writeln(`tick ${tick}`);
      if (tick < 5) await stream.sleep(200);
    }
  }),
);

export default app;
