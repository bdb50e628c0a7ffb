// systemd unit files as the tests read them: sections of `Key=Value` lines (a key may repeat),
// comments and blank lines skipped. Enough for the recipes' own files, not every unit syntax.
import { readFileSync } from 'node:fs';

export type Unit = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

export function readUnit(path: string): Unit {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1] ?? '', current);
      continue;
    }
    const equals = line.indexOf('=');
    if (!current || equals < 0) throw new Error(`${path}: not a Key=Value line in a section: ${line}`);
    const key = line.slice(0, equals).trim();
    current.set(key, [...(current.get(key) ?? []), line.slice(equals + 1).trim()]);
  }
  return sections;
}

/** The last value of `key` in `section` (a later line overrides an earlier one); throws when absent. */
export function unitValue(unit: Unit, section: string, key: string): string {
  const value = unit.get(section)?.get(key)?.at(-1);
  if (value === undefined) throw new Error(`no ${key}= in [${section}]`);
  return value;
}

/** Every value of `key` in `section`, in order. */
export function unitValues(unit: Unit, section: string, key: string): readonly string[] {
  return unit.get(section)?.get(key) ?? [];
}
