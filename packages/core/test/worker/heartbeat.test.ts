import { afterEach, describe, expect, it } from 'vitest';
import { HeartbeatFile } from '../../src/worker/heartbeat.js';
import { monotonicSeconds } from '../../src/worker/monotonic-clock.js';

const files: HeartbeatFile[] = [];
afterEach(() => {
  for (const file of files.splice(0)) file.close();
});

describe('HeartbeatFile', () => {
  it('records beats on the monotonic clock, not the wall clock', () => {
    const file = HeartbeatFile.create();
    files.push(file);
    // Created with a monotonic reading already: a worker that has not beaten yet is not "silent".
    expect(Math.abs(file.lastBeat() - monotonicSeconds())).toBeLessThan(1);
    file.touch();
    const beat = file.lastBeat();
    expect(Math.abs(beat - monotonicSeconds())).toBeLessThan(0.1);
    // Nowhere near the epoch seconds a wall-clock mtime would hold.
    expect(Math.abs(beat - Date.now() / 1000)).toBeGreaterThan(1000);
  });
});
