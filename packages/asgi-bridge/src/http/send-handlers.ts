import { AsgiProtocolError } from '../asgi-errors.js';
import type { HttpResponseBody, HttpResponseEarlyHint, HttpResponsePathsend, HttpResponseStart, HttpResponseTrailers, SendEvent } from '../types.js';
import type { HttpExchange } from './exchange.js';
import { sendFile } from './pathsend.js';
import { describeFound, latin1, responseFields } from './response-headers.js';
import { declareContentLength, finishBody, writeChunk, writeHead } from './response-writing.js';

/** Handles one message; a promise when the app must wait (back-pressure, a file being sent). */
type SendHandler = (exchange: HttpExchange, message: SendEvent) => Promise<void> | undefined;

function invalid(message: string): never {
  throw new AsgiProtocolError(message);
}

/** What a message sent after the response was complete, or out of turn, is told. */
function refuseOutOfTurn(exchange: HttpExchange, type: string): void {
  if (exchange.phase === 'done') invalid(`ASGI app sent ${type} after its response was complete`);
  if (exchange.sendingFile) invalid(`ASGI app sent ${type} while http.response.pathsend was sending its file`);
}

function bytesOf(value: unknown, what: string): Uint8Array {
  if (value === undefined) return EMPTY;
  if (value instanceof Uint8Array) return value;
  return invalid(`ASGI app sent ${what} ${describeFound(value)}: expected a Uint8Array`);
}

const EMPTY = new Uint8Array(0);

function start(exchange: HttpExchange, message: SendEvent): undefined {
  refuseOutOfTurn(exchange, 'http.response.start');
  if (exchange.phase !== 'start') invalid('ASGI app sent a second http.response.start');
  const { status, headers, trailers } = message as HttpResponseStart;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    invalid(`ASGI app sent http.response.start with status ${describeFound(status)}: expected an integer from 200 to 599 (a 103 goes as http.response.early_hint)`);
  }
  exchange.fields = responseFields(headers, 'http.response.start');
  exchange.status = status;
  exchange.trailers = Boolean(trailers);
  exchange.phase = 'head';
  return undefined;
}

/** A body longer than the app's Content-Length, or a last one shorter: refused before it is written. */
function checkLength(exchange: HttpExchange, length: number, last: boolean): void {
  const declared = exchange.fields?.contentLength ?? -1;
  if (declared < 0 || !exchange.bodyAllowed()) return;
  const total = exchange.written + length;
  if (total > declared) invalid(`ASGI app sent ${total} bytes of body, more than its content-length header (${declared})`);
  if (last && total < declared) invalid(`ASGI app ended its body after ${total} bytes, short of its content-length header (${declared})`);
}

function body(exchange: HttpExchange, message: SendEvent): Promise<void> | undefined {
  if (exchange.phase === 'start') invalid('ASGI app sent http.response.body before http.response.start');
  refuseOutOfTurn(exchange, 'http.response.body');
  if (exchange.phase === 'trailers') {
    invalid('ASGI app sent http.response.body after its last one (more_body: false); http.response.trailers was expected');
  }
  const { body: bytes, more_body: more } = message as HttpResponseBody;
  const chunk = bytesOf(bytes, 'http.response.body with body');
  checkLength(exchange, chunk.length, !more);
  if (exchange.phase === 'head') {
    if (!more && !exchange.trailers) declareContentLength(exchange, chunk.length, false);
    writeHead(exchange);
  }
  exchange.written += chunk.length;
  return more ? writeChunk(exchange, chunk) : finishBody(exchange, chunk);
}

function trailerFields(exchange: HttpExchange, message: SendEvent): undefined {
  if (exchange.phase === 'start') invalid('ASGI app sent http.response.trailers before http.response.start');
  refuseOutOfTurn(exchange, 'http.response.trailers');
  if (!exchange.trailers) invalid('ASGI app sent http.response.trailers, but its http.response.start did not set trailers: true');
  if (exchange.phase !== 'trailers') invalid('ASGI app sent http.response.trailers before its last http.response.body (more_body: false)');
  const { headers, more_trailers: more } = message as HttpResponseTrailers;
  const flat = (exchange.trailerFields ??= []);
  flat.push(...responseFields(headers, 'http.response.trailers').flat);
  if (more) return undefined;
  const pairs: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i] as string, flat[i + 1] as string]);
  try {
    exchange.res.addTrailers(pairs);
  } catch (error) {
    invalid(`ASGI app sent http.response.trailers with an invalid header: ${(error as Error).message}`);
  }
  exchange.res.end();
  exchange.complete();
  return undefined;
}

function earlyHint(exchange: HttpExchange, message: SendEvent): undefined {
  refuseOutOfTurn(exchange, 'http.response.early_hint');
  if (exchange.phase !== 'start') invalid('ASGI app sent http.response.early_hint after http.response.start');
  const { links } = message as HttpResponseEarlyHint;
  if (!Array.isArray(links)) invalid(`ASGI app sent http.response.early_hint with links ${describeFound(links)}: expected an array of Uint8Array`);
  const values = links.map((link, index) => latin1(bytesOf(link, `http.response.early_hint with links[${index}]`)));
  // RFC 9110 15.2: no 1xx to an HTTP/1.0 client, which would take it for the response.
  if (values.length === 0 || exchange.req.httpVersion === '1.0') return undefined;
  try {
    exchange.res.writeEarlyHints({ link: values });
  } catch (error) {
    invalid(`ASGI app sent http.response.early_hint with an invalid link: ${(error as Error).message}`);
  }
  return undefined;
}

function pathsend(exchange: HttpExchange, message: SendEvent): Promise<void> {
  if (exchange.phase === 'start') invalid('ASGI app sent http.response.pathsend before http.response.start');
  refuseOutOfTurn(exchange, 'http.response.pathsend');
  if (exchange.phase !== 'head') invalid('ASGI app sent http.response.pathsend after http.response.body');
  const { path } = message as HttpResponsePathsend;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    invalid(`ASGI app sent http.response.pathsend with path ${describeFound(path)}: expected an absolute path`);
  }
  return sendFile(exchange, path);
}

/** The messages an http scope takes, by type (README: The protocol). */
export const sendHandlers: ReadonlyMap<string, SendHandler> = new Map([
  ['http.response.start', start],
  ['http.response.body', body],
  ['http.response.trailers', trailerFields],
  ['http.response.early_hint', earlyHint],
  ['http.response.pathsend', pathsend],
]);
