import { monotonicSeconds } from '../worker/monotonic-clock.js';

/**
 * The arbiter's sleep: waits until the timeout or until something (a signal, a worker's exit or
 * message) asks the loop to run again — Gunicorn's select() on its self-pipe.
 */
export class Wakeup {
  private wake: (() => void) | null = null;
  private pending = false;
  /** Monotonic seconds when a sleep last ended: the loop that sleeps turns (`/livez`). */
  lastWoke = monotonicSeconds();

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      this.lastWoke = monotonicSeconds();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = null;
        this.lastWoke = monotonicSeconds();
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wake = finish;
    });
  }

  wakeup(): void {
    if (this.wake) this.wake();
    else this.pending = true;
  }
}
