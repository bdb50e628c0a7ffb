// A Koa app served by gu: `export default app` (gu serves app.callback(); Koa's error events go to
// gu's error log).
import Koa from 'koa';

const app = new Koa();

app.use(async (ctx) => {
  if (ctx.path === '/') ctx.body = `Hello from Koa, served by gu worker ${process.pid}\n`;
  else if (ctx.path === '/json') ctx.body = { framework: 'koa', server: 'gu', worker: process.pid };
  else if (ctx.path === '/fail') throw new Error('this route fails on purpose');
});

export default app;
