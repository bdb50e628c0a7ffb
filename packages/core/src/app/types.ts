import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Node request listener: the Node equivalent of a WSGI callable. Express apps are such listeners. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
