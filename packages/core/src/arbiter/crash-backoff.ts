/** A worker that lived at least this long before crashing starts a new streak: it was no loop. */
const STREAK_RESET_AFTER_S = 30;
/** The delay before the second respawn of a streak; it doubles with each crash after that. */
const FIRST_DELAY_S = 0.5;
const MAX_DELAY_S = 30;

/**
 * Exponential backoff for workers that keep crashing after boot (an app that throws from a timer a
 * moment after it starts): the first crash is replaced at once, each further one of the same streak
 * waits twice as long (0.5 s, 1 s, 2 s … 30 s), so a crash loop never becomes a fork storm.
 */
export class CrashBackoff {
  private streak = 0;
  private notBefore = 0;

  /** Records a crash at monotonic time `now` of a worker that lived `uptime` seconds; returns the delay. */
  record(now: number, uptime: number): number {
    this.streak = uptime >= STREAK_RESET_AFTER_S ? 1 : this.streak + 1;
    const delay = this.streak <= 1 ? 0 : Math.min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** (this.streak - 2));
    this.notBefore = Math.max(this.notBefore, now + delay);
    return delay;
  }

  get crashes(): number {
    return this.streak;
  }

  /** Seconds until a worker may be spawned again (0: now). */
  waitAt(now: number): number {
    return Math.max(0, this.notBefore - now);
  }
}
