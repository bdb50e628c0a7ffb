// The one listener both servers run, so the only difference measured is what sits in front of it.
const body = 'Hello, world!\n';

export default function hello(req, res) {
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(body);
}
