import { describe, expect, it } from 'vitest';
import type { Settings } from '@gu/core';
import { headDeadlineMs, SYNC_HEAD_DEADLINE_SECONDS } from '../src/head-deadline.js';

const withHeaderTimeout = (clientHeaderTimeout: number): Readonly<Settings> => ({ clientHeaderTimeout }) as Settings;

// What the README promises: client_header_timeout, but at most 5 s; 0 turns it off.
describe('the sync head deadline', () => {
  it.each([
    [10, 5000],
    [SYNC_HEAD_DEADLINE_SECONDS, 5000],
    [2, 2000],
    [0, 0],
  ])('client_header_timeout %i s gives %i ms', (seconds, ms) => {
    expect(headDeadlineMs(withHeaderTimeout(seconds))).toBe(ms);
  });
});
