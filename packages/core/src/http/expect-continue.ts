import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Responses whose request asked `Expect: 100-continue` and has not been told to go on yet. */
const awaitingContinue = new WeakSet<ServerResponse>();

/**
 * Once a server has a 'checkContinue' listener, node hands it `Expect: 100-continue` requests
 * instead of emitting 'request' and answering `100 Continue` itself (pinned in
 * test/http/expect-continue.test.ts). The front serves them with its usual listener and sends the
 * 100 only once its checks pass, so a client whose upload is refused (413) never sends the body.
 */
export function serveExpectContinue(server: Server, listener: (req: IncomingMessage, res: ServerResponse) => void): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    awaitingContinue.add(res);
    listener(req, res);
  });
}

/** Tells a client waiting for it to send its body; does nothing for any other request. */
export function sendContinue(res: ServerResponse): void {
  if (awaitingContinue.delete(res)) res.writeContinue();
}
