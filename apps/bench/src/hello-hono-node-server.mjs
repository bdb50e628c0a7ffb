// hello-hono.mjs through @hono/node-server's getRequestListener (its defaults), as a plain listener.
import { getRequestListener } from '@hono/node-server';
import { honoApp } from './hello-hono.mjs';

export default getRequestListener(honoApp.fetch);
