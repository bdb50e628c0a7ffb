/**
 * The one table of gu's errors. Each code is stable (users and scripts match on it) and maps to the
 * process exit code gu ends with when that error stops it. `docs/errors.md` lists the same table and
 * a test keeps the two in step.
 */

/** Exit codes of the `gu` process (and, for 3 and 4, of a worker process). */
export const ExitCode = {
  /** Clean shutdown (TERM, INT, QUIT) or an informational command (`--help`, `--version`, …). */
  OK: 0,
  /**
   * A runtime failure: another gu runs with this pidfile, or an unexpected internal error; for
   * `gu ctl`, the arbiter refused the command.
   */
  INTERNAL: 1,
  /**
   * Bad usage or settings: unknown flag, invalid value, config file that throws or is malformed, a
   * log file or pidfile gu cannot write.
   */
  USAGE: 2,
  /** A worker failed to boot (worker class could not start, listener could not be opened). */
  WORKER_BOOT: 3,
  /** A worker could not load the application. */
  APP_LOAD: 4,
  /** A listening socket could not be bound (address in use, permission denied, bad fd). */
  BIND: 5,
  /** `gu ctl`: no arbiter answers on the control socket (no socket file, nobody listening, no answer in time). */
  UNREACHABLE: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

interface ErrorSpec {
  readonly exitCode: ExitCode;
  readonly summary: string;
}

/** Every error code gu raises, with the exit code it ends the process with. */
export const errorTable = {
  GU_ERR_INTERNAL: { exitCode: ExitCode.INTERNAL, summary: 'Unexpected internal error.' },
  GU_ERR_PIDFILE: {
    exitCode: ExitCode.INTERNAL,
    summary: 'The pidfile names a gu that is still running.',
  },
  GU_ERR_PIDFILE_SYMLINK: {
    exitCode: ExitCode.USAGE,
    summary: 'The pidfile path is a symbolic link; gu never writes its pid through a link.',
  },
  GU_ERR_UNWRITABLE_PATH: {
    exitCode: ExitCode.USAGE,
    summary:
      'The access log, error log or pidfile cannot be written: missing directory, directory not writable, the path is a directory, or the file is not writable.',
  },
  GU_ERR_UNKNOWN_OPTION: { exitCode: ExitCode.USAGE, summary: 'A command-line option gu does not know.' },
  GU_ERR_INVALID_SETTING: {
    exitCode: ExitCode.USAGE,
    summary: 'A setting has a value of the wrong form (flag, environment, config file or GU_CMD_ARGS).',
  },
  GU_ERR_CONFIG_FILE: {
    exitCode: ExitCode.USAGE,
    summary: 'The config file is missing, throws when loaded, or does not export a settings object.',
  },
  GU_ERR_WORKER_CLASS: {
    exitCode: ExitCode.USAGE,
    summary: 'The worker class (-k) is not installed, cannot be imported, or is not a WorkerClass.',
  },
  GU_ERR_WORKER_BOOT: { exitCode: ExitCode.WORKER_BOOT, summary: 'A worker failed to boot.' },
  GU_ERR_APP_LOAD: { exitCode: ExitCode.APP_LOAD, summary: 'The application could not be loaded.' },
  GU_ERR_BIND: {
    exitCode: ExitCode.BIND,
    summary: 'A listening socket could not be created (address in use, permission denied, bad fd).',
  },
  GU_ERR_CONTROL_SOCKET: {
    exitCode: ExitCode.USAGE,
    summary:
      'The control socket path cannot be used: its directory does not exist, something other than a socket is there, or a running gu already listens on it.',
  },
  GU_ERR_CTL_REQUEST: {
    exitCode: ExitCode.INTERNAL,
    summary: 'A control-socket request that is not one JSON object `{"command": …, "args": […]}` on one line of at most 64 KiB.',
  },
  GU_ERR_CTL_COMMAND: {
    exitCode: ExitCode.USAGE,
    summary: 'An unknown control command, or arguments of the wrong form (`scale` takes one worker count, `worker kill` one pid).',
  },
  GU_ERR_CTL_REFUSED: {
    exitCode: ExitCode.INTERNAL,
    summary: 'The arbiter refused the control command: the pid is not one of its workers, it is stopping, or too many commands wait.',
  },
  GU_ERR_CTL_UNREACHABLE: {
    exitCode: ExitCode.UNREACHABLE,
    summary: '`gu ctl` could not reach an arbiter on the control socket, or got no answer in time.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type GuErrorCode = keyof typeof errorTable;

/** Base class of every error gu raises on purpose. `message` is the one line the user sees. */
export class GuError extends Error {
  readonly code: GuErrorCode;
  readonly exitCode: ExitCode;

  constructor(code: GuErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GuError';
    this.code = code;
    this.exitCode = errorTable[code].exitCode;
  }
}

/** A setting with a value of the wrong form. The message names the setting, the value and the form expected. */
export class InvalidSettingError extends GuError {
  constructor(setting: string, value: unknown, expected: string, options?: ErrorOptions) {
    super('GU_ERR_INVALID_SETTING', `${setting}: invalid value ${describeValue(value)} (expected ${expected})`, options);
    this.name = 'InvalidSettingError';
  }
}

/**
 * A file setting (access log, error log, pidfile) gu cannot write. The message names the setting,
 * the path, what is wrong with it and what was expected.
 */
export class UnwritablePathError extends GuError {
  constructor(setting: string, path: string, problem: string, expected: string, options?: ErrorOptions) {
    super('GU_ERR_UNWRITABLE_PATH', `${setting}: cannot write ${describeValue(path)}: ${problem} (expected ${expected})`, options);
    this.name = 'UnwritablePathError';
  }
}

export class UnknownOptionError extends GuError {
  constructor(message: string) {
    super('GU_ERR_UNKNOWN_OPTION', message);
    this.name = 'UnknownOptionError';
  }
}

export class ConfigFileError extends GuError {
  constructor(message: string, options?: ErrorOptions) {
    super('GU_ERR_CONFIG_FILE', message, options);
    this.name = 'ConfigFileError';
  }
}

export class WorkerClassError extends GuError {
  constructor(message: string, options?: ErrorOptions) {
    super('GU_ERR_WORKER_CLASS', message, options);
    this.name = 'WorkerClassError';
  }
}

export class WorkerBootError extends GuError {
  constructor(message: string, options?: ErrorOptions) {
    super('GU_ERR_WORKER_BOOT', message, options);
    this.name = 'WorkerBootError';
  }
}

export class AppLoadError extends GuError {
  constructor(message: string, options?: ErrorOptions) {
    super('GU_ERR_APP_LOAD', message, options);
    this.name = 'AppLoadError';
  }
}

export class BindError extends GuError {
  constructor(message: string, options?: ErrorOptions) {
    super('GU_ERR_BIND', message, options);
    this.name = 'BindError';
  }
}

/** Quote a value for an error message the way the user typed it. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value);
  } catch {
    return 'an unprintable value';
  }
}

/**
 * The GU_ERR_ code of a thrown value, read from its `code` property, or null. Unlike `instanceof`,
 * it also recognises an error that crossed a thread or process boundary as a structured clone
 * (a worker thread's AppLoadError arrives as a plain Error or object with the same `code`).
 */
export function guErrorCodeOf(error: unknown): GuErrorCode | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && Object.hasOwn(errorTable, code) ? (code as GuErrorCode) : null;
}

/** The exit code an unknown thrown value should end the process with. */
export function exitCodeOf(error: unknown): ExitCode {
  return error instanceof GuError ? error.exitCode : ExitCode.INTERNAL;
}
