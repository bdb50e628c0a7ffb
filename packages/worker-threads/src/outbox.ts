import { performance } from 'node:perf_hooks';
import type { MessagePort } from 'node:worker_threads';

/** How long a message may wait for the end of a turn that runs on (see flushIfDue). */
const MAX_WAIT_MS = 1;

/**
 * Messages for one control port, posted together once per turn of the event loop (setImmediate:
 * after the poll phase, so every request or reply a turn produced goes in one message). Each
 * postMessage that finds the other thread asleep wakes it, a system call and a context switch on
 * each side, which cost more than the clone of the message itself; under load a batch carries many.
 */
export class Outbox<T> {
  private pending: T[] = [];
  private scheduled = false;
  private firstAt = 0;

  constructor(private readonly port: MessagePort) {}

  push(message: T): void {
    if (this.pending.length === 0) this.firstAt = performance.now();
    this.pending.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  /**
   * Posts now what has waited MAX_WAIT_MS or more. A thread running a batch of CPU-bound requests
   * in one turn would otherwise hold every reply until the last is done, and the clients, which
   * send their next request only once answered, would leave it idle in between.
   */
  flushIfDue(): void {
    if (this.pending.length > 0 && performance.now() - this.firstAt >= MAX_WAIT_MS) this.flush();
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.port.postMessage(batch);
  };
}
