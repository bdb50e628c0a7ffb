import { GuError } from '../errors.js';
import type { Wakeup } from '../arbiter/wakeup.js';

/** What a control command asks the arbiter to change; run by its loop, like a signal. */
export type ControlAction =
  | { readonly command: 'reload' }
  | { readonly command: 'scale'; readonly workers: number }
  | { readonly command: 'kill'; readonly pid: number };

/** How the arbiter runs each action; what it returns (or throws) is the command's answer. */
export type ActionHandlers = {
  readonly [C in ControlAction['command']]: (action: Extract<ControlAction, { command: C }>) => unknown;
};

interface Pending {
  readonly action: ControlAction;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Commands waiting for the loop beyond this are refused: a flood of clients queues nothing more. */
const MAX_PENDING = 8;

/**
 * Control commands that change state wait here for the arbiter's loop, as signals do: the socket's
 * callback only enqueues and wakes the loop ("signal handlers only enqueue; one loop dispatches").
 */
export class ActionQueue {
  private readonly pending: Pending[] = [];
  private closedBecause: string | null = null;

  constructor(private readonly wakeup: Wakeup) {}

  /** Resolves with the loop's answer to `action`. */
  push(action: ControlAction): Promise<unknown> {
    if (this.closedBecause !== null) return Promise.reject(refused(this.closedBecause));
    if (this.pending.length >= MAX_PENDING) return Promise.reject(refused(`${MAX_PENDING} commands already wait for the arbiter`));
    return new Promise((resolve, reject) => {
      this.pending.push({ action, resolve, reject });
      this.wakeup.wakeup();
    });
  }

  /** Runs the oldest action with `handlers`, settling its promise; false when none waits. */
  async runNext(handlers: ActionHandlers): Promise<boolean> {
    const next = this.pending.shift();
    if (!next) return false;
    try {
      const handler = handlers[next.action.command] as (action: ControlAction) => unknown;
      next.resolve(await handler(next.action));
    } catch (error) {
      next.reject(error);
    }
    return true;
  }

  /** From now on every action is refused with `reason`, those waiting too. */
  close(reason: string): void {
    this.closedBecause = reason;
    for (const { reject } of this.pending.splice(0)) reject(refused(reason));
  }
}

function refused(reason: string): GuError {
  return new GuError('GU_ERR_CTL_REFUSED', `refused: ${reason}`);
}
