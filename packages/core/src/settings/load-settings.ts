import { resolve } from 'node:path';
import { parseCommandLine, type ParsedCommandLine } from './command-line.js';
import { findConfigFile, loadConfigFile } from './config-file.js';
import type { Hooks } from '../hooks/server-hooks.js';
import { readEnvironment } from './environment.js';
import { renderHelp } from './help.js';
import { coerceLayer, defaultSettings, mergeLayers, originsOf, type Origin, type SettingOrigins } from './layer.js';
import { splitShellWords } from './shell-words.js';
import type { Settings } from './types.js';
import { versionText } from './version.js';

export { formatPrintConfig } from './print-config.js';
export { renderSettingsReference } from './reference.js';

/** What the CLI should do: run (or check/print, per `settings.checkConfig`/`printConfig`), or print a text and exit 0. */
export type LoadResult =
  | { readonly kind: 'run'; readonly settings: Settings; readonly origins: SettingOrigins; readonly hooks: Hooks }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version'; readonly text: string };

export interface LoadInput {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** The directory gu was started in: config discovery and relative paths start here. */
  readonly cwd: string;
}

function informational(parsed: ParsedCommandLine): LoadResult | undefined {
  if (parsed.help) return { kind: 'help', text: renderHelp() };
  if (parsed.version) return { kind: 'version', text: versionText() };
  return undefined;
}

/**
 * Resolves gu's settings from, lowest first: defaults, environment, config file, GU_CMD_ARGS and
 * `argv` (the arguments after `gu`), with the origin of each value set (for messages about checks
 * made later, such as a log file gu cannot write). Throws UnknownOptionError for bad usage,
 * ConfigFileError for a config file that is missing, throws or is malformed, InvalidSettingError
 * for a bad value.
 * Called again on reload (HUP): the config file is re-imported, not served from the module cache.
 */
export async function loadSettings(input: LoadInput): Promise<LoadResult> {
  const commandLine = parseCommandLine(input.argv, 'command line');
  const extraArgs = parseCommandLine(splitShellWords(input.env.GU_CMD_ARGS ?? ''), 'GU_CMD_ARGS');
  const early = informational(commandLine) ?? informational(extraArgs);
  if (early) return early;

  const context = { cwd: resolve(input.cwd) };
  const commandLineLayer = coerceLayer({ origin: { kind: 'command line' }, values: commandLine.values }, context);
  const extraArgsLayer = coerceLayer({ origin: { kind: 'GU_CMD_ARGS' }, values: extraArgs.values }, context);
  const environmentLayer = coerceLayer(readEnvironment(input.env), context);
  const configPath = commandLineLayer.config ?? extraArgsLayer.config ?? findConfigFile(context.cwd);
  const configFile = configPath === null ? null : await loadConfigFile(configPath);
  const configLayer = configFile === null ? {} : coerceLayer(configFile, context);

  const configOrigin: Origin = { kind: 'config file', path: configPath ?? '' };
  const layers = [
    { origin: { kind: 'environment' }, layer: environmentLayer },
    { origin: configOrigin, layer: configLayer },
    { origin: { kind: 'GU_CMD_ARGS' }, layer: extraArgsLayer },
    { origin: { kind: 'command line' }, layer: commandLineLayer },
  ] as const;
  const settings = mergeLayers(defaultSettings(context), layers.map(({ layer }) => layer));
  const hooks = configFile?.hooks ?? {};
  return { kind: 'run', settings: { ...settings, config: configPath }, origins: originsOf(layers), hooks };
}
