import { describeWriteFailure, unwritablePathError } from '../settings/writable-paths.js';
import { openAppendFile, stderrDestination, type AppendFile } from './append-file.js';
import { logLevels, type LogLevel } from './levels.js';
import type { Logger } from './logger.js';
import type { LogFormat } from './log-format.js';
import { formatRecordAs } from './record.js';

export interface ErrorLogOptions {
  /** `-` for stderr, else a file path opened for append (created if missing). */
  readonly errorlog: string;
  /** Records below this level are dropped. */
  readonly loglevel: LogLevel;
  /** Gunicorn's text lines (the default) or one JSON object per line. */
  readonly format?: LogFormat;
  /** The pid printed on each line; defaults to this process's. */
  readonly pid?: number;
}

function openDestination(errorlog: string): AppendFile {
  if (errorlog === '-') return stderrDestination();
  try {
    return openAppendFile(errorlog);
  } catch (error) {
    throw unwritablePathError('errorlog', errorlog, describeWriteFailure(errorlog, error), undefined, { cause: error });
  }
}

/**
 * The error log, in Gunicorn's shape: `[2026-11-24 01:48:55 +0000] [1234] [INFO] message`, or
 * with `format: 'json'` one JSON object per line (record.ts).
 * Throws UnwritablePathError (`errorlog`), one line naming the path and what is wrong with it, when
 * the file cannot be opened for append.
 */
export function createLogger(options: ErrorLogOptions): Logger {
  const destination = openDestination(options.errorlog);
  const pid = options.pid ?? process.pid;
  const threshold = logLevels.indexOf(options.loglevel);
  const format = options.format ?? 'text';

  const emit = (level: LogLevel, text: string, error?: { thrown: unknown }): void => {
    if (logLevels.indexOf(level) < threshold) return;
    destination.write(formatRecordAs(format, level, pid, text, error));
  };

  return {
    debug: (message) => { emit('debug', message); },
    info: (message) => { emit('info', message); },
    warning: (message) => { emit('warning', message); },
    error: (message) => { emit('error', message); },
    critical: (message) => { emit('critical', message); },
    // One record, hence one write: the stack cannot be interleaved with another process's lines.
    exception: (message, error) => { emit('error', message, { thrown: error }); },
    reopen: () => {
      try {
        destination.reopen();
      } catch (error) {
        // One line: the stack of a failed open(2) says nothing the path and the reason do not.
        const reason = describeWriteFailure(options.errorlog, error);
        emit('error', `Cannot reopen the error log ${options.errorlog}: ${reason}; still writing to the old file`);
      }
    },
    close: () => {
      destination.close();
      return Promise.resolve();
    },
  };
}
