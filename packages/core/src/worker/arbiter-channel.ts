import { isArbiterMessage, type ArbiterMessage, type WorkerMessage } from './protocol.js';
import type { StopCause } from './worker-class.js';

type BootMessage = Extract<ArbiterMessage, { type: 'boot' }>;

/** The worker's end of the IPC channel to its arbiter. */
export class ArbiterChannel {
  private onListener: ((index: number, handle: unknown) => void) | null = null;
  /** What to do when the arbiter asks for the log files to be reopened. */
  onReopenLogs: () => void = () => undefined;
  /** What to do when the arbiter asks for a graceful stop, saying why. */
  onStop: (cause: StopCause) => void = () => undefined;
  /** What to do when the arbiter asks for this worker's figures (answer with the same id). */
  onFiguresRequest: (id: number) => void = () => undefined;
  private readonly early: [number, unknown][] = [];
  readonly boot: Promise<BootMessage>;

  constructor() {
    if (!process.send) throw new Error('gu worker started without an IPC channel (it is started by the arbiter)');
    let bootReceived: (message: BootMessage) => void = () => undefined;
    this.boot = new Promise((resolve) => (bootReceived = resolve));
    process.on('message', (message: unknown, handle: unknown) => {
      if (!isArbiterMessage(message)) return;
      if (message.type === 'boot') bootReceived(message);
      else if (message.type === 'reopen-logs') this.onReopenLogs();
      else if (message.type === 'stop') this.onStop(message.cause);
      else if (message.type === 'stats?') this.onFiguresRequest(message.id);
      else if (this.onListener) this.onListener(message.index, handle);
      else this.early.push([message.index, handle]);
    });
  }

  /** Routes listener copies to `receive`, including any that arrived before this was called. */
  receiveListeners(receive: (index: number, handle: unknown) => void): void {
    this.onListener = receive;
    for (const [index, handle] of this.early.splice(0)) receive(index, handle);
  }

  send(message: WorkerMessage): void {
    if (process.connected) process.send?.(message);
  }

  /** Sends and resolves once the message is handed to the OS, so exiting right after loses nothing. */
  sendAndFlush(message: WorkerMessage): Promise<void> {
    return new Promise((resolve) => {
      if (!process.connected || !process.send) resolve();
      else process.send(message, undefined, {}, () => { resolve(); });
    });
  }
}
