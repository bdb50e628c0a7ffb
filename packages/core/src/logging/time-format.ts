/**
 * The two timestamps of Gunicorn's logs, in local time with the UTC offset, as Python's
 * `time.strftime` prints them: `[%Y-%m-%d %H:%M:%S %z]` (error log) and
 * `[%d/%b/%Y:%H:%M:%S %z]` (access log, Apache's Common Log Format).
 */

const monthAbbreviations = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `%z`: `+0100`, `-0700`, `+0000` (getTimezoneOffset counts minutes west of UTC, hence the sign flip). */
export function formatUtcOffset(date: Date): string {
  const minutesEast = -date.getTimezoneOffset();
  const sign = minutesEast < 0 ? '-' : '+';
  const absolute = Math.abs(minutesEast);
  return `${sign}${pad2(Math.floor(absolute / 60))}${pad2(absolute % 60)}`;
}

function formatClock(date: Date): string {
  return `${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/** `[2026-11-24 01:48:55 +0000]`, the time of an error-log line. */
export function formatErrorLogTime(date: Date): string {
  const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
  return `[${day} ${formatClock(date)} ${formatUtcOffset(date)}]`;
}

/** `[10/Oct/2000:13:55:36 -0700]`, the `%(t)s` atom of the access log. */
export function formatAccessLogTime(date: Date): string {
  const month = monthAbbreviations[date.getMonth()] ?? '???';
  const day = `${pad2(date.getDate())}/${month}/${date.getFullYear()}`;
  return `[${day}:${formatClock(date)} ${formatUtcOffset(date)}]`;
}
