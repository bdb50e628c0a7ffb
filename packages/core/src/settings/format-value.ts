/**
 * A setting's value as `--print-config`, `--help` and the reference show it: strings as they are
 * (as Gunicorn prints them), lists and null as JSON.
 */
export function formatSettingValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
