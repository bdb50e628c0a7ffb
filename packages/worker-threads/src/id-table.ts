/** Slots in the fast part of an {@link IdTable}: ids are sequential, so live ones rarely share a slot. */
const SLOTS = 1024;
const MASK = SLOTS - 1;

/**
 * Live requests by id (ids from 1), on either side of the control port.
 *
 * Not a Map: a Map rehashes into a new table as entries come and go, and its old table keeps a
 * link to the new one (for iterators still walking it). Once one of those tables has lived long
 * enough to reach V8's old generation, every later table, and every request each one held, is
 * reachable from it until the next full collection, so the young generation copies them again and
 * again: measured on a loop of 16 live entries, 65 % of what was allocated survived scavenges
 * through such a Map, about 1 % through this table (test/request-tables.test.ts pins both).
 *
 * A request sits in slot `id % 1024`; one whose slot is taken by a request 1024 (or a multiple)
 * older, still live, goes to an overflow dictionary: memory stays bounded however long a request lives.
 */
export class IdTable<T> {
  private readonly keys = new Int32Array(SLOTS);
  private readonly slots = new Array<T | undefined>(SLOTS).fill(undefined);
  private overflow: Record<number, T | undefined> = Object.create(null) as Record<number, T | undefined>;
  private overflowCount = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(id: number): T | undefined {
    const slot = id & MASK;
    if (this.keys[slot] === id) return this.slots[slot];
    return this.overflowCount === 0 ? undefined : this.overflow[id];
  }

  set(id: number, value: T): void {
    const slot = id & MASK;
    if (this.keys[slot] === id) {
      this.slots[slot] = value;
    } else if (this.keys[slot] === 0 && (this.overflowCount === 0 || this.overflow[id] === undefined)) {
      this.keys[slot] = id;
      this.slots[slot] = value;
      this.count++;
    } else {
      if (this.overflow[id] === undefined) {
        this.overflowCount++;
        this.count++;
      }
      this.overflow[id] = value;
    }
  }

  delete(id: number): boolean {
    const slot = id & MASK;
    if (this.keys[slot] === id) {
      this.keys[slot] = 0;
      this.slots[slot] = undefined;
      this.count--;
      return true;
    }
    if (this.overflowCount === 0 || this.overflow[id] === undefined) return false;
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a dictionary keyed by id, by design (see above)
    delete this.overflow[id];
    this.overflowCount--;
    this.count--;
    if (this.overflowCount === 0) this.overflow = Object.create(null) as Record<number, T | undefined>;
    return true;
  }

  /** Every entry (in no particular order); deleting entries while iterating is safe. */
  *values(): Generator<T> {
    for (let slot = 0; slot < SLOTS; slot++) {
      const value = this.slots[slot];
      if (value !== undefined) yield value;
    }
    for (const key in this.overflow) {
      const value = this.overflow[key as unknown as number];
      if (value !== undefined) yield value;
    }
  }
}
