import type { MessagePort } from 'node:worker_threads';

/**
 * Messages for one control port, posted together once per turn of the event loop (setImmediate:
 * after the poll phase, so every request or reply a turn produced goes in one message). Each
 * postMessage that finds the other thread asleep wakes it, a system call and a context switch on
 * each side, which cost more than the clone of the message itself; under load a batch carries many.
 */
export class Outbox<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(private readonly port: MessagePort) {}

  push(message: T): void {
    this.pending.push(message);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    this.port.postMessage(batch);
  };
}
