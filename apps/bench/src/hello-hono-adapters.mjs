// hello-hono.mjs through @gu/adapters' fetch adapter, as a plain listener.
import { adaptFetchApp } from '@gu/adapters';
import { honoApp } from './hello-hono.mjs';

export default adaptFetchApp(honoApp).listener;
