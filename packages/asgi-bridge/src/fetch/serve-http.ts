import type { FetchApp, HttpScope, Receive, Send } from '../types.js';
import { ExecutionContext } from './execution-context.js';
import type { BridgeServer } from './fetch-server.js';
import { Inbound } from './inbound.js';
import { headerPairs, latin1Bytes } from './latin1.js';
import { httpRequest, isRepresentableMethod, requestHead } from './request.js';
import { checkResponse, streamBody } from './response.js';

/** CONNECT and TRACE cannot be made into a Request: the app never sees them. */
async function refuseMethod(scope: HttpScope, send: Send): Promise<void> {
  const body = latin1Bytes(`${scope.method} cannot be passed to a fetch-style app\n`);
  await send({ type: 'http.response.start', status: 501, headers: [[latin1Bytes('content-type'), latin1Bytes('text/plain; charset=utf-8')]] });
  await send({ type: 'http.response.body', body });
}

async function sendResponse(response: Response, scope: HttpScope, inbound: Inbound, send: Send): Promise<void> {
  await send({ type: 'http.response.start', status: response.status, headers: headerPairs(response.headers) });
  // HEAD: the headers say what GET would send; the body is not read at all.
  const body = scope.method.toUpperCase() === 'HEAD' ? null : response.body;
  if (body === null) await response.body?.cancel().catch(() => undefined);
  await streamBody(body, (chunk, moreBody) => {
    if (!moreBody) inbound.settle();
    return send({ type: 'http.response.body', body: chunk, more_body: moreBody });
  });
}

/**
 * One http scope for a fetch-style app: the scope and its body become a Request, `fetch` answers,
 * the Response goes out as http.response.start and streamed http.response.body messages.
 */
export async function serveHttp(app: FetchApp, server: BridgeServer, scope: HttpScope, receive: Receive, send: Send): Promise<void> {
  if (!isRepresentableMethod(scope.method)) return refuseMethod(scope, send);
  const inbound = new Inbound(receive);
  const head = requestHead(scope);
  const body = head.hasBody ? inbound.body() : null;
  if (body === null) inbound.watch();
  const request = httpRequest(scope, head, body, inbound.signal);
  server.register(request, scope);
  const context = new ExecutionContext();
  try {
    const response = checkResponse(await app.fetch(request, server, context), request);
    server.answered(request);
    await sendResponse(response, scope, inbound, send);
  } catch (error) {
    inbound.abort(error);
    throw error;
  } finally {
    inbound.settle();
  }
  await context.settle();
}
