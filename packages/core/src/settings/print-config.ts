import { formatSettingValue } from './format-value.js';
import { registry, settingKeys, type SettingKey } from './registry.js';
import type { Settings } from './types.js';
import { hookNames, hookSpecs, type HookName, type Hooks } from '../hooks/server-hooks.js';

/**
 * The `--print-config` text: one `name = value` line per setting, Gunicorn's names aligned as
 * Gunicorn prints them, in registry order. Every line ends with a newline, so it can be written as it is.
 */
export function formatPrintConfig(settings: Settings, hooks: Hooks = {}): string {
  const names = [...settingKeys.map((key) => registry[key].name), ...hookNames.map((name) => hookSpecs[name].name)];
  const width = Math.max(...names.map((name) => name.length));
  const line = (key: SettingKey): string => `${registry[key].name.padEnd(width)} = ${formatSettingValue(settings[key])}\n`;
  // Hooks are functions: say which are set, and by which function.
  const hookLine = (name: HookName): string => `${hookSpecs[name].name.padEnd(width)} = ${describeHook(hooks[name])}\n`;
  return [...settingKeys.map(line), ...hookNames.map(hookLine)].join('');
}

function describeHook(hook: unknown): string {
  if (typeof hook !== 'function') return '-';
  return hook.name ? `function ${hook.name}` : 'function';
}
