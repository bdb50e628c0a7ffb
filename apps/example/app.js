// A plain Node request listener: what gu serves, the way Gunicorn serves a WSGI callable.
// Run it with `gu app.js -w 2 -b 127.0.0.1:8000 --access-logfile -`.
export default function app(req, res) {
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(`Hello from gu worker ${process.pid}: ${req.method} ${req.url}\n`);
}
