import { open, type FileHandle } from 'node:fs/promises';
import { ClientDisconnectedError, codeOf, CLIENT_DISCONNECTED, PROTOCOL_ERROR } from '../asgi-errors.js';
import type { HttpExchange } from './exchange.js';
import { declareContentLength, finishBody, writeChunk, writeHead } from './response-writing.js';

const READ_CHUNK = 64 * 1024;

/** Opens `path` as a regular file, or says why it cannot be sent. */
async function openRegularFile(path: string): Promise<{ handle: FileHandle; size: number } | string> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const stat = await handle.stat();
    if (stat.isFile()) return { handle, size: stat.size };
    await handle.close();
    return 'it is not a regular file';
  } catch (error) {
    await handle?.close();
    const code = codeOf(error);
    return `${typeof code === 'string' ? code : 'error'}: ${(error as Error).message}`;
  }
}

/** Why the app's Content-Length does not fit the file, or null (none given: the file's size is declared). */
function lengthMismatch(exchange: HttpExchange, size: number): string | null {
  const declared = exchange.fields?.contentLength ?? -1;
  if (declared < 0) {
    declareContentLength(exchange, size, true);
    return null;
  }
  return declared === size || !exchange.bodyAllowed() ? null : `its content-length header (${declared}) is not the file's size (${size})`;
}

async function streamFile(exchange: HttpExchange, handle: FileHandle): Promise<void> {
  for await (const chunk of handle.createReadStream({ highWaterMark: READ_CHUNK, autoClose: false })) {
    if (exchange.gone()) throw new ClientDisconnectedError();
    await writeChunk(exchange, chunk as Buffer);
  }
}

/**
 * `http.response.pathsend`: the server sends the file at `path` as the whole body, read in chunks
 * with back-pressure; send() resolves once the last chunk went to the connection. A file that cannot
 * be opened is the app's error, answered 500 (nothing has been written yet).
 */
export async function sendFile(exchange: HttpExchange, path: string): Promise<void> {
  exchange.sendingFile = true;
  const opened = await openRegularFile(path);
  if (typeof opened === 'string') {
    exchange.sendingFile = false;
    return exchange.fail(`ASGI app sent http.response.pathsend for ${path}, which cannot be sent: ${opened}`);
  }
  const { handle, size } = opened;
  try {
    if (exchange.gone()) throw new ClientDisconnectedError();
    const wrongLength = lengthMismatch(exchange, size);
    if (wrongLength !== null) return await exchange.fail(`ASGI app sent http.response.pathsend for ${path}, but ${wrongLength}`);
    writeHead(exchange);
    if (exchange.bodyAllowed()) await streamFile(exchange, handle);
    exchange.written = size;
    exchange.sendingFile = false;
    await finishBody(exchange, new Uint8Array(0));
  } catch (error) {
    exchange.sendingFile = false;
    if (codeOf(error) === CLIENT_DISCONNECTED || exchange.gone()) throw new ClientDisconnectedError();
    const message = (error as Error).message;
    return await exchange.fail(codeOf(error) === PROTOCOL_ERROR ? message : `ASGI app sent http.response.pathsend for ${path}, which could not be sent: ${message}`);
  } finally {
    await handle.close();
  }
}
