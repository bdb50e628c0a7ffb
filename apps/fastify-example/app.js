// A Fastify app served by gu: `export default app`, not listening and not readied: gu awaits
// app.ready() before the worker takes requests, and app.close() (onClose hooks) when it stops.
import Fastify from 'fastify';

const app = Fastify({ logger: true });

app.get('/', async () => `Hello from Fastify, served by gu worker ${process.pid}\n`);
app.get('/json', async () => ({ framework: 'fastify', server: 'gu', worker: process.pid }));
app.post('/json', async (request, reply) => reply.code(201).send(request.body));
app.addHook('onClose', async () => {
  app.log.info('closed: the onClose hooks run when the worker stops');
});

export default app;
