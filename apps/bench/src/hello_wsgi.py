# The hello world of src/hello.mjs as a WSGI app, for the sync scenario's Gunicorn comparison.
def app(environ, start_response):
    body = b"Hello, world!\n"
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]
