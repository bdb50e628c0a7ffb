import { describe, expect, it } from 'vitest';
import { formatAccessLogTime, formatErrorLogTime, formatUtcOffset } from '../../src/logging/time-format.js';
import { useTimeZone } from './with-timezone.js';

describe('log timestamps in UTC', () => {
  useTimeZone('UTC');

  it('formats the error-log time as [%Y-%m-%d %H:%M:%S %z]', () => {
    expect(formatErrorLogTime(new Date(Date.UTC(2026, 10, 24, 1, 48, 55)))).toBe('[2026-11-24 01:48:55 +0000]');
  });

  it('formats the access-log time as [%d/%b/%Y:%H:%M:%S %z]', () => {
    expect(formatAccessLogTime(new Date(Date.UTC(2000, 0, 5, 3, 4, 6)))).toBe('[05/Jan/2000:03:04:06 +0000]');
  });
});

describe('log timestamps in local time with the offset', () => {
  useTimeZone('America/Los_Angeles');

  it('prints local time and a negative offset, with daylight saving time', () => {
    expect(formatAccessLogTime(new Date(Date.UTC(2000, 9, 10, 20, 55, 36)))).toBe('[10/Oct/2000:13:55:36 -0700]');
    expect(formatErrorLogTime(new Date(Date.UTC(2000, 11, 31, 23, 59, 59)))).toBe('[2000-12-31 15:59:59 -0800]');
  });
});

describe('UTC offsets that are not whole hours', () => {
  useTimeZone('Asia/Kolkata');

  it('prints minutes in %z', () => {
    expect(formatUtcOffset(new Date(Date.UTC(2020, 5, 1)))).toBe('+0530');
  });
});
