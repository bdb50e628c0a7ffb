/**
 * The heartbeat as the stack watchdog sees it: one 64-bit slot of shared memory between the worker's
 * main thread and its watchdog thread, holding the monotonic time of the last beat in nanoseconds
 * (`process.hrtime.bigint()`, the same clock in every thread). 0 means "not watched": the worker is
 * still booting (`boot_timeout` applies then, not `timeout`) or is exiting.
 */
export class BeatSlot {
  private readonly slot: BigInt64Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT)) {
    this.slot = new BigInt64Array(buffer);
  }

  /** A beat: the main thread's event loop ran just now. Cheap (one atomic store). */
  beat(): void {
    Atomics.store(this.slot, 0, process.hrtime.bigint());
  }

  /** Stops the watchdog from judging silence until the next beat. */
  unwatch(): void {
    Atomics.store(this.slot, 0, 0n);
  }

  /** Monotonic nanoseconds of the last beat, or null while unwatched. */
  lastBeat(): bigint | null {
    const last = Atomics.load(this.slot, 0);
    return last === 0n ? null : last;
  }
}
