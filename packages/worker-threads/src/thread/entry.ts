/**
 * The module every pool thread runs (piscina's `filename`): it loads the app itself, posts its
 * Hello with its control port, beats on that port, and serves each request that arrives on it.
 */
import { MessageChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { loadRequestListener } from '@gu/core/app-loader';
import type { RequestListener } from '@gu/core';
import {
  cloneError, decodeTask, encodeReply, isWireTask, recordRunning,
  type Hello, type MainMessage, type RequestTask, type ThreadData, type ThreadMessage,
} from '../protocol.js';
import { Outbox } from '../outbox.js';
import { ThreadRequest } from './thread-request.js';

const data = workerData as ThreadData;
const running = new Int32Array(data.running);
const { port1: control, port2: mainEnd } = new MessageChannel();
const requests = new Map<number, ThreadRequest>();
let listener: RequestListener | null = null;

const outbox = new Outbox<ThreadMessage>(control);
const post = (message: ThreadMessage): void => {
  outbox.push(message);
};

const loaded = loadRequestListener(data.app, data.chdir).then(
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
    else requests.get(message.id)?.receive(message);
    outbox.flushIfDue();
  }
});
control.unref();

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

function run(app: RequestListener, task: RequestTask): void {
  const { id } = task;
  recordRunning(running, id, threadId);
  const request = new ThreadRequest(task, post, {
    resolve: (reply) => {
      post(reply ? encodeReply(id, reply) : { t: 'done', id });
    },
    reject: (error) => {
      post({ t: 'fail', id, error: cloneError(error) });
    },
    done: () => requests.delete(id),
  });
  requests.set(id, request);
  request.start(app);
}
