import type { SettingSpecs } from './registry.js';
import { integerOrZero, positiveInteger } from './value-kinds.js';

/**
 * The thread pool of the `threads` worker class (@gu/worker-threads), declared here to keep
 * registry.ts readable; it spreads them in place. Core only declares them: no core code reads them.
 */
export const threadSettings: SettingSpecs<'threads' | 'threadConcurrency' | 'threadQueue'> = {
  threads: {
    name: 'threads',
    section: 'Worker Processes',
    flags: ['--threads'],
    kind: positiveInteger,
    default: 1,
    doc: "The number of worker threads each worker process runs the application in, with the `threads` worker class (`-k threads`). Each thread loads the app itself; the process's event loop keeps the network (parsing, limits, TLS, access log) and hands each request to a thread, so CPU-bound handlers use more than one core per process and a slow handler does not block the others. As with Gunicorn's gthread worker, `threads` times `workers` is the number of handlers running at once; other worker classes ignore it. Each thread costs memory (a V8 isolate and its own copy of the app): see @gu/worker-threads' README for measured figures.",
  },
  threadConcurrency: {
    name: 'thread_concurrency',
    section: 'Worker Processes',
    flags: ['--thread-concurrency'],
    kind: positiveInteger,
    default: 8,
    doc: "The number of requests one thread of the `threads` worker class carries at once (as piscina's `concurrentTasksPerWorker`); each request goes to the least busy thread. A handler that awaits I/O (a database, an upstream API) leaves its thread free for another request meanwhile, so more than 1 keeps an async handler from capping each thread at one request; a purely CPU-bound handler serves them one after the other whatever this is. When `timeout` terminates a thread, the other requests it carried are answered 500 too. Gunicorn has no such setting (a gthread thread serves one request).",
  },
  threadQueue: {
    name: 'thread_queue',
    section: 'Worker Processes',
    flags: ['--thread-queue'],
    kind: integerOrZero,
    default: 64,
    doc: "The number of requests a worker process of the `threads` worker class holds waiting when every thread carries `thread_concurrency` requests already. A request beyond it is answered `503 Service Unavailable` with `Retry-After: 1` at once, so that memory stays bounded under overload and a client (or a load balancer) can go elsewhere; 0 answers 503 whenever no thread is free. A request that waits longer than `timeout` in the queue is answered 503 too.",
  },
};
