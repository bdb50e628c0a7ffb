/**
 * The module every pool thread runs (piscina's `filename`): it loads the app itself (adapted, as
 * `ctx.loadAdaptedApp()` does, and readied), posts its Hello with its control port, beats on that
 * port, serves each request that arrives on it, and closes the app when the pool asks (`close`).
 */
import { MessageChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { loadAdaptedApp, type AdaptersLog } from '@gu/core/app-loader';
import type { AdaptedApp, RequestListener } from '@gu/core';
import {
  cloneError, decodeTask, encodeReply, isWireTask, recordRunning,
  type Hello, type MainMessage, type RequestTask, type ThreadData, type ThreadMessage,
} from '../protocol.js';
import { IdTable } from '../id-table.js';
import { Outbox } from '../outbox.js';
import { ThreadRequest, type Settle } from './thread-request.js';

const data = workerData as ThreadData;
const running = new Int32Array(data.running);
const { port1: control, port2: mainEnd } = new MessageChannel();
const requests = new IdTable<ThreadRequest>();
let listener: RequestListener | null = null;

const outbox = new Outbox<ThreadMessage>(control);
const post = (message: ThreadMessage): void => {
  outbox.push(message);
};

/** What the app reports outside a request (Koa's error events…) goes to the worker's error log. */
const log: AdaptersLog = {
  info: (message) => { post({ t: 'log', level: 'info', message, error: null }); },
  warning: (message) => { post({ t: 'log', level: 'warning', message, error: null }); },
  error: (message) => { post({ t: 'log', level: 'error', message, error: null }); },
  exception: (message, error) => { post({ t: 'log', level: 'error', message, error: cloneError(error) }); },
};

let adapted: AdaptedApp | null = null;
const loaded = loadAdaptedApp(data.app, data.chdir, log).then(async (app) => {
  await app.ready();
  adapted = app;
  return app.listener;
}).then(
  (app) => {
    listener = app;
    hello(null);
    return app;
  },
  (error: unknown) => {
    hello(error);
    return null;
  },
);

function hello(error: unknown): void {
  const message: Hello = { gu: 'hello', threadId, port: mainEnd, loadError: error === null ? null : cloneError(error) };
  parentPort?.postMessage(message, [mainEnd]);
  if (error === null) setInterval(() => { post({ t: 'beat' }); }, data.beatMs).unref();
}

control.on('message', (batch: readonly MainMessage[]) => {
  for (const message of batch) {
    if (isWireTask(message)) serve(decodeTask(message));
    else if (message.t === 'close') void closeApp();
    else requests.get(message.id)?.receive(message);
    outbox.flushIfDue();
  }
});
control.unref();

/** The pool stops: the app's own close (Fastify's onClose hooks…) runs here, in the thread it lives in. */
async function closeApp(): Promise<void> {
  await adapted?.close();
  post({ t: 'closed' });
}

/** piscina's task handler, which gu never calls: requests come over the control port (protocol.ts). */
export default function noTasks(): never {
  throw new Error('@gu/worker-threads sends requests over its control port, not as piscina tasks');
}

/** One request, answered on the control port: whole, `done` once streamed, or `fail`. */
function serve(task: RequestTask): void {
  if (listener) {
    run(listener, task);
    return;
  }
  // The main thread sends nothing before the Hello, which follows the load: this is defensive.
  void loaded.then((app) => {
    if (app) run(app, task);
    else post({ t: 'fail', id: task.id, error: cloneError(new Error('The app failed to load in this thread')) });
  });
}

/** How a request ends: forgotten here (the main thread sends it nothing more that matters), then reported. */
const settle: Settle = {
  resolve(id, reply) {
    requests.delete(id);
    post(reply ? encodeReply(id, reply) : { t: 'done', id });
  },
  reject(id, error) {
    requests.delete(id);
    post({ t: 'fail', id, error: cloneError(error) });
  },
};

function run(app: RequestListener, task: RequestTask): void {
  recordRunning(running, task.id, threadId);
  const request = new ThreadRequest(task, post, settle);
  requests.set(task.id, request);
  request.start(app);
}
