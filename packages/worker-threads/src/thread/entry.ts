/**
 * The module every pool thread runs (piscina's `filename`): it loads the app itself, posts its
 * Hello with its control port, beats on that port, and serves each task as one request.
 */
import { MessageChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { loadRequestListener } from '@gu/core/app-loader';
import type { RequestListener } from '@gu/core';
import { cloneError, recordRunning, type Hello, type MainMessage, type Reply, type RequestTask, type ThreadData, type ThreadMessage } from '../protocol.js';
import { ThreadRequest } from './thread-request.js';

const data = workerData as ThreadData;
const running = new Int32Array(data.running);
const { port1: control, port2: mainEnd } = new MessageChannel();
const requests = new Map<number, ThreadRequest>();
let listener: RequestListener | null = null;

const post = (message: ThreadMessage): void => {
  control.postMessage(message);
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

control.on('message', (message: MainMessage) => {
  requests.get(message.id)?.receive(message);
});
control.unref();

/** One request: resolves with the whole response, or null once a streamed one has ended. */
export default function serve(task: RequestTask): Promise<Reply | null> {
  if (listener) return run(listener, task);
  return loaded.then((app) => {
    if (!app) throw new Error('The app failed to load in this thread');
    return run(app, task);
  });
}

function run(app: RequestListener, task: RequestTask): Promise<Reply | null> {
  recordRunning(running, task.id, threadId);
  return new Promise((resolve, reject) => {
    const request = new ThreadRequest(task, post, {
      resolve,
      reject,
      done: () => requests.delete(task.id),
    });
    requests.set(task.id, request);
    request.start(app);
  });
}
