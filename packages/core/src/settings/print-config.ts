import { formatSettingValue } from './format-value.js';
import { registry, settingKeys, type SettingKey } from './registry.js';
import type { Settings } from './types.js';

/**
 * The `--print-config` text: one `name = value` line per setting, Gunicorn's names aligned as
 * Gunicorn prints them, in registry order. Every line ends with a newline, so it can be written as it is.
 */
export function formatPrintConfig(settings: Settings): string {
  const width = Math.max(...settingKeys.map((key) => registry[key].name.length));
  const line = (key: SettingKey): string => `${registry[key].name.padEnd(width)} = ${formatSettingValue(settings[key])}\n`;
  return settingKeys.map(line).join('');
}
