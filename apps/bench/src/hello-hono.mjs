// The hello-world Hono app of the fetch-adapter benchmark: src/hello.mjs's answer, as Hono writes it.
import { Hono } from 'hono';

const body = 'Hello, world!\n';

export const honoApp = new Hono();
honoApp.get('/', (c) => c.text(body));
