import { inspect } from 'node:util';
import type { LogFormat } from './log-format.js';
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

/** What a text record prints after an exception's message: the stack, with `cause` and extra properties, as Node shows them. */
export function describeThrown(error: unknown): string {
  return inspect(error, { depth: 4 });
}

/** The `exception` field of a JSON record: the thrown value's class, message, code and Node's full account of it. */
function thrownFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error), stack: describeThrown(error) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, ...(code === undefined ? {} : { code }), stack: describeThrown(error) };
}

/**
 * One error-log record as a JSON line for log shippers: `{"time":"2026-11-24T01:48:55.123Z",
 * "level":"info","pid":1234,"message":"…"}`, plus `exception` for a record of a thrown error.
 */
export function formatJsonRecord(level: LogLevel, pid: number, message: string, error?: { thrown: unknown }, date: Date = new Date()): string {
  const record: Record<string, unknown> = { time: date.toISOString(), level, pid, message };
  if (error !== undefined) record.exception = thrownFields(error.thrown);
  return `${JSON.stringify(record)}\n`;
}

/**
 * A record in the chosen format. Text puts a thrown error's account after the message, as
 * Gunicorn's log.exception does; JSON keeps it in its own field.
 */
export function formatRecordAs(format: LogFormat, level: LogLevel, pid: number, message: string, error?: { thrown: unknown }): string {
  if (format === 'json') return formatJsonRecord(level, pid, message, error);
  return formatRecord(level, pid, error === undefined ? message : `${message}\n${describeThrown(error.thrown)}`);
}
