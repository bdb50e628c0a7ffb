// src/hello.mjs as an ASGI app, for -k asgi (src/asgi.mjs): the same body and content-type, and the
// bytes it sends made once, as an app written for speed would.
const headers = [[Buffer.from('content-type'), Buffer.from('text/plain; charset=utf-8')]];
const start = { type: 'http.response.start', status: 200, headers };
const body = { type: 'http.response.body', body: Buffer.from('Hello, world!\n') };

export default async function hello(scope, _receive, send) {
  if (scope.type !== 'http') return;
  await send(start);
  await send(body);
}
