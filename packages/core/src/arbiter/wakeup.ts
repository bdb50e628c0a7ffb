/**
 * The arbiter's sleep: waits until the timeout or until something (a signal, a worker's exit or
 * message) asks the loop to run again — Gunicorn's select() on its self-pipe.
 */
export class Wakeup {
  private wake: (() => void) | null = null;
  private pending = false;

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wake = null;
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
