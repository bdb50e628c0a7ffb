import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { UnknownOptionError } from '../errors.js';
import type { RawValues } from './layer.js';
import { registry, settingKeys, type SettingKey } from './registry.js';

/** The informational flags that are not settings. */
export const builtinFlags = {
  help: { flags: ['-h', '--help'], doc: 'Show this help and exit.' },
  version: { flags: ['-v', '--version'], doc: "Show gu's version and exit." },
} as const;
type Builtin = keyof typeof builtinFlags;

export interface ParsedCommandLine {
  /** Raw values by setting key; `app` holds the positional argument. */
  readonly values: RawValues;
  readonly help: boolean;
  readonly version: boolean;
}

/** Where the arguments came from, for messages: the real command line or GU_CMD_ARGS. */
export type ArgumentSource = 'command line' | 'GU_CMD_ARGS';

type Target = { readonly builtin: Builtin } | { readonly key: SettingKey };

interface FlagTable {
  readonly options: ParseArgsOptionsConfig;
  /** parseArgs option name (the long flag without dashes) → what it sets. */
  readonly targets: ReadonlyMap<string, Target>;
}

interface FlagShape {
  readonly isSwitch: boolean;
  readonly repeatable: boolean;
}

type MutableFlagTable = { options: ParseArgsOptionsConfig; targets: Map<string, Target> };

function addFlags(table: MutableFlagTable, flags: readonly string[], target: Target, shape: FlagShape): void {
  const short = flags.find((flag) => !flag.startsWith('--'))?.slice(1);
  const longs = flags.filter((flag) => flag.startsWith('--')).map((flag) => flag.slice(2));
  longs.forEach((name, index) => {
    table.options[name] = {
      type: shape.isSwitch ? 'boolean' : 'string',
      multiple: shape.repeatable,
      // parseArgs knows one short flag per option: give it to the main long flag only.
      ...(index === 0 && short !== undefined ? { short } : {}),
    };
    table.targets.set(name, target);
  });
}

function buildFlagTable(): FlagTable {
  const table: MutableFlagTable = { options: {}, targets: new Map() };
  for (const [builtin, { flags }] of Object.entries(builtinFlags)) {
    addFlags(table, flags, { builtin: builtin as Builtin }, { isSwitch: true, repeatable: false });
  }
  for (const key of settingKeys) {
    const { flags, kind } = registry[key];
    addFlags(table, flags, { key }, { isSwitch: kind.isSwitch === true, repeatable: kind.repeatable === true });
  }
  return table;
}

const flagTable = buildFlagTable();

function suffixFor(source: ArgumentSource): string {
  return source === 'GU_CMD_ARGS' ? ' in GU_CMD_ARGS' : '';
}

/** A value that is really the next flag: `-b --workers 2` forgot the address. Negative numbers are values. */
function looksLikeFlag(value: string): boolean {
  return value.length > 1 && value.startsWith('-') && !/^-\d/.test(value);
}

function usageOf(key: SettingKey): string {
  const spec = registry[key];
  return `${spec.flags.join('/')} ${spec.metavar ?? spec.kind.metavar}`;
}

interface OptionToken {
  readonly name: string;
  readonly rawName: string;
  readonly value?: string | undefined;
  readonly inlineValue?: boolean | undefined;
}

function settingValue(key: SettingKey, token: OptionToken, source: ArgumentSource): string | true {
  const where = suffixFor(source);
  if (registry[key].kind.isSwitch === true) {
    if (token.value !== undefined) throw new UnknownOptionError(`option ${token.rawName}${where} takes no value`);
    return true;
  }
  if (token.value === undefined || (token.inlineValue !== true && looksLikeFlag(token.value))) {
    throw new UnknownOptionError(`option ${token.rawName}${where} needs a value: ${usageOf(key)}`);
  }
  return token.value;
}

function collectOption(values: RawValues, token: OptionToken, source: ArgumentSource): void {
  const target = flagTable.targets.get(token.name);
  if (target === undefined) {
    const where = suffixFor(source);
    throw new UnknownOptionError(`unknown option ${token.rawName}${where} (run gu --help to list the options)`);
  }
  // --help and --version were handled before any value was collected.
  if ('builtin' in target) return;
  const value = settingValue(target.key, token, source);
  const previous: unknown = values[target.key];
  const earlier: readonly unknown[] = Array.isArray(previous) ? previous : [];
  values[target.key] = registry[target.key].kind.repeatable === true ? [...earlier, value] : value;
}

function targetsBuiltin(optionName: string, builtin: Builtin): boolean {
  const target = flagTable.targets.get(optionName);
  return target !== undefined && 'builtin' in target && target.builtin === builtin;
}

function collectPositional(values: RawValues, value: string, source: ArgumentSource): void {
  if (values.app !== undefined) {
    const where = suffixFor(source);
    throw new UnknownOptionError(`unexpected argument ${JSON.stringify(value)}${where}: gu takes a single APP_MODULE`);
  }
  values.app = value;
}

/**
 * Parses gu's arguments with the flags of the registry. Values stay raw strings (the layer step
 * validates them); unknown flags, missing values and a second positional argument throw
 * UnknownOptionError. A repeated flag keeps its last value, except repeatable ones (`--bind`).
 */
export function parseCommandLine(args: readonly string[], source: ArgumentSource): ParsedCommandLine {
  // Non-strict with tokens, so that gu, not parseArgs, words the errors and names GU_CMD_ARGS.
  const { tokens } = parseArgs({
    args: [...args],
    options: flagTable.options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  // As with Gunicorn's argparse, --help and --version win over anything else on the line.
  const asks = (builtin: Builtin): boolean =>
    tokens.some((token) => token.kind === 'option' && targetsBuiltin(token.name, builtin));
  if (asks('help') || asks('version')) return { values: {}, help: asks('help'), version: asks('version') };
  const values: RawValues = {};
  for (const token of tokens) {
    if (token.kind === 'option') collectOption(values, token, source);
    if (token.kind === 'positional') collectPositional(values, token.value, source);
  }
  return { values, help: false, version: false };
}
