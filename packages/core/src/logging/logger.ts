/** The error log every part of gu writes through (`[time] [pid] [LEVEL] message`, Gunicorn's shape). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  critical(message: string): void;
  /** Logs `message` at error level followed by the error's stack. */
  exception(message: string, error: unknown): void;
  /** Reopens the log file (after log rotation); a no-op for stderr. */
  reopen(): void;
  /** Flushes and closes the file, if any. */
  close(): Promise<void>;
}
