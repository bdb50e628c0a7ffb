import { afterEach, beforeEach } from 'vitest';

/** Runs the tests of the calling suite in `timeZone` (Node applies a change of TZ at once). */
export function useTimeZone(timeZone: string): void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TZ;
    process.env.TZ = timeZone;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
}
