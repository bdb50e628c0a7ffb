import type { LogLevel } from './levels.js';
import { formatErrorLogTime } from './time-format.js';

/** Python logging's level names: upper-case, and WARNING rather than WARN. */
const levelNames: Record<LogLevel, string> = {
  debug: 'DEBUG',
  info: 'INFO',
  warning: 'WARNING',
  error: 'ERROR',
  critical: 'CRITICAL',
};

/** One error-log record in Gunicorn's shape: `[2026-11-24 01:48:55 +0000] [1234] [INFO] message\n`. */
export function formatRecord(level: LogLevel, pid: number, text: string, date: Date = new Date()): string {
  return `${formatErrorLogTime(date)} [${pid}] [${levelNames[level]}] ${text}\n`;
}
