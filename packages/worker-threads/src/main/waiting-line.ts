/** What waits in a {@link WaitingLine}: it says itself whether it still waits. */
export interface Waiter {
  waiting: boolean;
}

/**
 * Requests waiting for a thread, first come first served: an array read from a moving head, where
 * one that leaves the line early (its client went away, it expired) is only marked. Not a Set, for
 * the reason IdTable gives: a Set's tables link to each other as entries come and go.
 */
export class WaitingLine<T extends Waiter> {
  private line: T[] = [];
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(waiter: T): void {
    waiter.waiting = true;
    this.line.push(waiter);
    this.count++;
  }

  /** Takes `waiter` out of the line; false if it was not in it. */
  delete(waiter: T): boolean {
    if (!waiter.waiting) return false;
    waiter.waiting = false;
    this.count--;
    if (this.count === 0) this.clear();
    return true;
  }

  /** The first waiter still in line, taken out of it; null if none. */
  shift(): T | null {
    while (this.head < this.line.length) {
      const waiter = this.line[this.head++] as T;
      if (!waiter.waiting) continue;
      this.delete(waiter);
      this.compact();
      return waiter;
    }
    this.clear();
    return null;
  }

  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.line.length) return;
    this.line = this.line.slice(this.head);
    this.head = 0;
  }

  private clear(): void {
    this.line = [];
    this.head = 0;
  }
}
