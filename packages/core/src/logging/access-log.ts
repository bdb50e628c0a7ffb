import { describeWriteFailure, unwritablePathError } from '../settings/writable-paths.js';
import type { AccessEntry } from './access-entry.js';
import { compileAccessLogFormat } from './access-format.js';
import { fileSink, stdoutSink, type LineSink, type SinkErrorReporter } from './access-sinks.js';
import type { Logger } from './logger.js';

export interface AccessLogger {
  log(entry: AccessEntry): void;
  /** Reopens the file after log rotation; a no-op for stdout. */
  reopen(): void;
  /** Flushes every line logged so far, then closes the file. */
  close(): Promise<void>;
}

export interface AccessLogOptions {
  /** `-` for stdout, a file path (appended), or null for no access log. */
  readonly accesslog: string | null;
  /** Gunicorn's `access_log_format`. */
  readonly format: string;
  /** Where failures of the access log itself are reported; stderr when absent. */
  readonly errorLog?: Pick<Logger, 'exception'>;
}

function reporterFor(errorLog: AccessLogOptions['errorLog']): SinkErrorReporter {
  if (errorLog !== undefined) return (message, error) => { errorLog.exception(message, error); };
  return (message, error) => {
    process.stderr.write(`${message}: ${error instanceof Error ? error.message : String(error)}\n`);
  };
}

function openSink(accesslog: string, report: SinkErrorReporter): LineSink {
  if (accesslog === '-') return stdoutSink();
  try {
    return fileSink(accesslog, report);
  } catch (error) {
    throw unwritablePathError('accesslog', accesslog, describeWriteFailure(accesslog, error), undefined, { cause: error });
  }
}

/**
 * The access log, or null when `accesslog` is null. The format is compiled here, so a bad format
 * throws InvalidSettingError (`accessLogFormat`) before any request; a file that cannot be opened
 * throws UnwritablePathError (`accesslog`), one line naming the path and what is wrong with it.
 */
export function createAccessLogger(options: AccessLogOptions): AccessLogger | null {
  if (options.accesslog === null) return null;
  const format = compileAccessLogFormat(options.format);
  const sink = openSink(options.accesslog, reporterFor(options.errorLog));
  return {
    log: (entry) => { sink.write(`${format(entry)}\n`); },
    reopen: () => { sink.reopen(); },
    close: () => sink.close(),
  };
}
