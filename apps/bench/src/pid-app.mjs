// The application of the zero-loss runs: answers with the pid of the process that served the
// request (so a run can tell which workers answered), after `?delay=MS` milliseconds if asked.
export default function pidApp(req, res) {
  const delay = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('delay') ?? 0);
  const answer = () => {
    res.setHeader('content-type', 'text/plain');
    res.end(String(process.pid));
  };
  if (delay > 0) setTimeout(answer, delay);
  else answer();
}
