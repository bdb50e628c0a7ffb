import { InvalidSettingError } from '../errors.js';
import { defaultOf, registry, settingKeys, specOf, type SettingKey } from './registry.js';
import type { Settings } from './types.js';
import { ValueRejected, type CoerceContext } from './value-kinds.js';

/** Where a layer of raw values came from; error messages name it so the user knows what to fix. */
export type Origin =
  | { readonly kind: 'command line' }
  | { readonly kind: 'GU_CMD_ARGS' }
  | { readonly kind: 'environment' }
  | { readonly kind: 'config file'; readonly path: string };

/** Values as given: strings from the command line and environment, anything from a config file. */
export type RawValues = Partial<Record<SettingKey, unknown>>;

export interface RawLayer {
  readonly origin: Origin;
  readonly values: RawValues;
}

/** A layer after validation: only the settings it sets, each with its final type. */
export type SettingsLayer = Partial<Settings>;

function flagLabel(key: SettingKey, suffix = ''): string {
  const spec = registry[key];
  return `${spec.name} (${spec.flags[0] ?? spec.kind.metavar}${suffix})`;
}

const labelBuilders: { readonly [K in Origin['kind']]: (key: SettingKey, origin: Origin) => string } = {
  'command line': (key) => flagLabel(key),
  GU_CMD_ARGS: (key) => flagLabel(key, ' in GU_CMD_ARGS'),
  environment: (key) => `${registry[key].name} (${registry[key].env?.variable ?? 'environment'})`,
  'config file': (key, origin) => `${key} in ${origin.kind === 'config file' ? origin.path : 'config file'}`,
};

/** How an error message names a setting given from `origin`, e.g. `workers (-w)`. */
export function labelOf(key: SettingKey, origin: Origin): string {
  return labelBuilders[origin.kind](key, origin);
}

function coerceOne<K extends SettingKey>(key: K, raw: unknown, origin: Origin, context: CoerceContext): Settings[K] {
  const { kind } = specOf(key);
  try {
    return kind.coerce(raw, context);
  } catch (error) {
    if (!(error instanceof ValueRejected)) throw error;
    throw new InvalidSettingError(labelOf(key, origin), error.value, error.expected ?? kind.expected);
  }
}

function assign<K extends SettingKey>(target: SettingsLayer, key: K, value: Settings[K]): void {
  target[key] = value;
}

/** Validates every value of a layer; the first bad one throws an InvalidSettingError naming its origin. */
export function coerceLayer(layer: RawLayer, context: CoerceContext): SettingsLayer {
  const result: SettingsLayer = {};
  for (const key of settingKeys) {
    // `undefined` means "not set", so a config file may write `workers: process.env.X ? 4 : undefined`.
    const raw = layer.values[key];
    if (raw !== undefined) assign(result, key, coerceOne(key, raw, layer.origin, context));
  }
  return result;
}

/** The lowest layer: every setting at its default. */
export function defaultSettings(context: CoerceContext): Settings {
  const defaults: SettingsLayer = {};
  for (const key of settingKeys) assign(defaults, key, defaultOf(key, context));
  return defaults as Settings;
}

/** Where each setting's final value came from; a setting left at its default has no entry. */
export type SettingOrigins = Partial<Record<SettingKey, Origin>>;

/**
 * The origin of each value, for layers stacked lowest first as mergeLayers stacks them, so that a
 * check made after merging (a log file gu cannot write) can still name the flag or file to fix.
 */
export function originsOf(layers: readonly { readonly origin: Origin; readonly layer: SettingsLayer }[]): SettingOrigins {
  const origins: SettingOrigins = {};
  for (const { origin, layer } of layers) {
    for (const key of Object.keys(layer) as SettingKey[]) origins[key] = origin;
  }
  return origins;
}

/** Stacks layers lowest first; a higher layer's value, lists included, replaces the lower one's. */
export function mergeLayers(base: Settings, layers: readonly SettingsLayer[]): Settings {
  return Object.assign({ ...base }, ...layers) as Settings;
}
