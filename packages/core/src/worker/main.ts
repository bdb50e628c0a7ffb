/** Entry point of a worker process, forked by the arbiter. */
import { runWorker } from './runtime.js';

await runWorker();
