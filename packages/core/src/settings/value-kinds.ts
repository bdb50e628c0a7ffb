import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InvalidSettingError } from '../errors.js';
import { logLevels, type LogLevel } from '../logging/levels.js';
import { logFormats, type LogFormat } from '../logging/log-format.js';
import { BIND_FORMS, parseBindAddress } from '../sockets/bind-address.js';
import { findGroupId, findUserId } from './accounts.js';

/** What coercion needs to know besides the value: relative paths are resolved against `cwd`. */
export interface CoerceContext {
  readonly cwd: string;
}

/**
 * Thrown by a kind when a value does not fit. The caller knows where the value came from and turns
 * this into an InvalidSettingError naming the setting; `value` narrows the message to the bad item
 * of a list, `expected` replaces the kind's own form when a sub-parser knows better.
 */
export class ValueRejected extends Error {
  constructor(
    readonly value: unknown,
    readonly expected?: string,
  ) {
    super('value rejected');
    this.name = 'ValueRejected';
  }
}

/** The type of one setting: the form it expects and how a raw value becomes a typed one. */
export interface ValueKind<T> {
  /** The expected form, as error messages and the docs state it. */
  readonly expected: string;
  /** What `--help` shows after the flag when the setting declares no metavar of its own. */
  readonly metavar: string;
  /** An on/off switch: the command-line flag takes no value. */
  readonly isSwitch?: boolean;
  /** The command-line flag may be repeated; each occurrence adds an item. */
  readonly repeatable?: boolean;
  /**
   * Strings (command line, environment) are parsed; values from a config file must already have
   * the right type, except that numbers may also be given as strings, as Gunicorn allows.
   */
  coerce(raw: unknown, context: CoerceContext): T;
}

function integerAtLeast(minimum: number, expected: string): ValueKind<number> {
  const toInteger = (raw: unknown): number => {
    if (typeof raw === 'number') return raw;
    if (typeof raw === 'string' && /^\s*[+-]?\d+\s*$/.test(raw)) return Number(raw);
    return Number.NaN;
  };
  return {
    expected,
    metavar: 'INT',
    coerce(raw) {
      const value = toInteger(raw);
      if (!Number.isSafeInteger(value) || value < minimum) throw new ValueRejected(raw);
      return value;
    },
  };
}

export const positiveInteger = integerAtLeast(1, 'a positive integer');
export const integerOrZero = integerAtLeast(0, 'an integer of 0 or more');

function nonEmptyText(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') throw new ValueRejected(raw);
  return text;
}

export const text: ValueKind<string> = {
  expected: 'a non-empty string',
  metavar: 'STRING',
  coerce: nonEmptyText,
};

export const optionalText: ValueKind<string | null> = {
  expected: 'a non-empty string or null',
  metavar: 'STRING',
  coerce: (raw) => (raw === null ? null : nonEmptyText(raw)),
};

/** A user or group: a name this system knows, or a numeric id; resolved to the id at once. */
function account(what: 'user' | 'group', find: (key: string) => number | null): ValueKind<number | null> {
  return {
    expected: `a ${what} name known to this system or a numeric ${what === 'user' ? 'uid' : 'gid'}`,
    metavar: what.toUpperCase(),
    coerce(raw) {
      if (raw === null) return null;
      const key = typeof raw === 'number' ? String(raw) : nonEmptyText(raw);
      const id = /^-/.test(key) ? null : find(key);
      if (id === null || !Number.isSafeInteger(id)) throw new ValueRejected(raw);
      return id;
    },
  };
}

export const userAccount = account('user', findUserId);
export const groupAccount = account('group', findGroupId);

export const switchFlag: ValueKind<boolean> = {
  expected: 'true or false',
  metavar: '',
  isSwitch: true,
  coerce(raw) {
    if (typeof raw === 'boolean') return raw;
    const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    if (word === 'true' || word === 'false') return word === 'true';
    throw new ValueRejected(raw);
  },
};

/**
 * One of a fixed list of words. Case does not matter, as Gunicorn lower-cases its level names
 * (`INFO` works there too).
 */
export function choice<T extends string>(choices: readonly T[], metavar: string): ValueKind<T> {
  return {
    expected: `one of ${choices.join(', ')}`,
    metavar,
    coerce(raw) {
      const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      const chosen = choices.find((item) => item === word);
      if (chosen === undefined) throw new ValueRejected(raw);
      return chosen;
    },
  };
}

export const logLevel: ValueKind<LogLevel> = choice(logLevels, 'LEVEL');

export const logFormat: ValueKind<LogFormat> = choice(logFormats, 'FORMAT');

export const appModule: ValueKind<string | null> = {
  expected: 'module[:export], e.g. app.js:app',
  metavar: 'APP_MODULE',
  coerce(raw) {
    if (raw === null) return null;
    const spec = nonEmptyText(raw);
    if (spec.startsWith(':') || spec.endsWith(':')) throw new ValueRejected(raw);
    return spec;
  },
};

function checkBind(item: unknown): string {
  const address = typeof item === 'string' ? item.trim() : '';
  try {
    parseBindAddress(address);
  } catch (error) {
    if (error instanceof InvalidSettingError) throw new ValueRejected(item, BIND_FORMS);
    throw error;
  }
  return address;
}

export const bindList: ValueKind<string[]> = {
  expected: `${BIND_FORMS}, or a list of them`,
  metavar: 'ADDRESS',
  repeatable: true,
  coerce(raw) {
    // A single string is accepted as Gunicorn does for `bind = "..."` in its config file.
    const items: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) throw new ValueRejected(raw);
    return items.map(checkBind);
  },
};

/** Glob patterns (`templates/**`), given one per flag or as a list in the config file. */
export const patternList: ValueKind<string[]> = {
  expected: 'a glob pattern, or a list of them',
  metavar: 'PATTERN',
  repeatable: true,
  coerce(raw) {
    const items: readonly unknown[] = Array.isArray(raw) ? raw : [raw];
    return items.map((item) => {
      if (typeof item !== 'string' || item.trim() === '') throw new ValueRejected(item, 'a non-empty glob pattern');
      return item.trim();
    });
  },
};

function absolutePath(raw: unknown, cwd: string): string {
  const path = nonEmptyText(raw);
  return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}

export const directory: ValueKind<string> = {
  expected: 'an existing directory',
  metavar: 'DIR',
  coerce(raw, { cwd }) {
    const path = absolutePath(raw, cwd);
    if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new ValueRejected(raw);
    return path;
  },
};

export const optionalDirectory: ValueKind<string | null> = {
  expected: 'an existing directory or null',
  metavar: 'DIR',
  coerce: (raw, context) => (raw === null ? null : directory.coerce(raw, context)),
};

export const optionalFile: ValueKind<string | null> = {
  expected: 'a file path or null',
  metavar: 'FILE',
  coerce: (raw, { cwd }) => (raw === null ? null : absolutePath(raw, cwd)),
};

const STDIO = '-';

/** A log destination: `-` (the standard stream) stays as it is, a path becomes absolute. */
export const logFile: ValueKind<string> = {
  expected: 'a file path or - (standard stream)',
  metavar: 'FILE',
  coerce: (raw, { cwd }) => (raw === STDIO ? STDIO : absolutePath(raw, cwd)),
};

export const optionalLogFile: ValueKind<string | null> = {
  expected: 'a file path, - (standard stream) or null',
  metavar: 'FILE',
  coerce: (raw, context) => (raw === null ? null : logFile.coerce(raw, context)),
};

function envAssignment(item: unknown): string {
  // The name may not be empty; the value may (`-e DEBUG=`) and may hold `=` itself.
  if (typeof item !== 'string' || !/^[^=]+=/.test(item)) throw new ValueRejected(item, 'KEY=VALUE');
  return item;
}

/** `raw_env`: `KEY=VALUE` items, repeatable on the command line, a list (or one string) in the config file. */
export const envAssignments: ValueKind<string[]> = {
  expected: 'KEY=VALUE, or a list of them',
  metavar: 'ENV',
  repeatable: true,
  coerce: (raw) => (Array.isArray(raw) ? raw : [raw]).map(envAssignment),
};

/** Python's `int(text, 0)` after Gunicorn's `auto_int` turned a leading `0` into `0o`: `027`, `0o027`, `0x17`, `23`. */
function parseUmask(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return Number.NaN;
  const text = raw.trim().toLowerCase().replace(/^0(?=\d)/, '0o');
  return /^(?:0[box][\da-f]+|\d+)$/.test(text) ? Number(text) : Number.NaN;
}

/** A file mode creation mask, 0 to 0o777; null leaves the one gu inherited. */
export const optionalUmask: ValueKind<number | null> = {
  expected: 'an integer from 0 to 0o777, octal as 0o027 or "027"',
  metavar: 'INT',
  coerce(raw) {
    if (raw === null) return null;
    const value = parseUmask(raw);
    if (!Number.isSafeInteger(value) || value < 0 || value > 0o777) throw new ValueRejected(raw);
    return value;
  },
};
