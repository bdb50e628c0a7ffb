import { inspect } from 'node:util';
import { describeWriteFailure, unwritablePathError } from '../settings/writable-paths.js';
import { openAppendFile, stderrDestination, type AppendFile } from './append-file.js';
import { logLevels, type LogLevel } from './levels.js';
import type { Logger } from './logger.js';
import { formatRecord } from './record.js';

export interface ErrorLogOptions {
  /** `-` for stderr, else a file path opened for append (created if missing). */
  readonly errorlog: string;
  /** Records below this level are dropped. */
  readonly loglevel: LogLevel;
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

/** What `exception()` prints after its message: the stack, with `cause` and extra properties, as Node shows them. */
function describeThrown(error: unknown): string {
  return inspect(error, { depth: 4 });
}

/**
 * The error log, in Gunicorn's shape: `[2026-11-24 01:48:55 +0000] [1234] [INFO] message`.
 * Throws UnwritablePathError (`errorlog`), one line naming the path and what is wrong with it, when
 * the file cannot be opened for append.
 */
export function createLogger(options: ErrorLogOptions): Logger {
  const destination = openDestination(options.errorlog);
  const pid = options.pid ?? process.pid;
  const threshold = logLevels.indexOf(options.loglevel);

  const emit = (level: LogLevel, text: string): void => {
    if (logLevels.indexOf(level) < threshold) return;
    destination.write(formatRecord(level, pid, text));
  };

  return {
    debug: (message) => { emit('debug', message); },
    info: (message) => { emit('info', message); },
    warning: (message) => { emit('warning', message); },
    error: (message) => { emit('error', message); },
    critical: (message) => { emit('critical', message); },
    // One record, hence one write: the stack cannot be interleaved with another process's lines.
    exception: (message, error) => { emit('error', `${message}\n${describeThrown(error)}`); },
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
