import type { IncomingMessage, ServerResponse } from 'node:http';

/** Runs a loaded listener against a fake response and returns what it ended the response with. */
export function respond(listener: unknown): unknown {
  let body: unknown;
  const res = { end: (chunk: unknown) => { body = chunk; } } as unknown as ServerResponse;
  const req = {} as unknown as IncomingMessage;
  (listener as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
  return body;
}
