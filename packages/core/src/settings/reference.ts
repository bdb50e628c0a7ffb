import { configFileNames } from './config-file.js';
import { formatSettingValue } from './format-value.js';
import { registry, sections, settingKeys, type SettingKey } from './registry.js';

const HEADER = `# Settings reference

<!-- Generated from packages/core/src/settings/registry.ts: do not edit by hand, run \`pnpm --filter @gu/core docs:settings\`. -->

Every gu setting, as Gunicorn names it. A setting can come from several places; from lowest to
highest precedence: its default, the environment (for the variables listed below), the config
file, \`GU_CMD_ARGS\`, and the command line. A higher layer replaces the value of a lower one; for
\`bind\`, a higher layer's list replaces the lower list instead of adding to it, as in Gunicorn.

- **Config file**: \`-c FILE\`, or else the first of ${configFileNames.map((name) => `\`${name}\``).join(', ')}
  found in the current directory. Its default export (or \`module.exports\`) is a plain object
  with the camelCase keys below: \`export default defineConfig({ workers: 4 })\`, with
  \`defineConfig\` from \`@gu/core\`. Values must already have the setting's type, except that
  numbers may also be written as strings (\`"4"\`), as Gunicorn coerces them; \`undefined\` leaves a
  setting unset. An unknown key is an error.
- **GU_CMD_ARGS**: extra command-line arguments, split like a shell (quotes and backslashes as in
  Gunicorn's \`GUNICORN_CMD_ARGS\`), e.g. \`GU_CMD_ARGS='--workers 3 --access-logformat "%(h)s %(r)s"'\`.
- **Errors**: a bad value stops gu with exit status 2 before anything binds, with a message naming
  the setting, where it came from, the value and the expected form:
  \`workers (-w): invalid value "-1" (expected a positive integer)\`.
- **Paths** (\`chdir\`, \`pidfile\`, log files, \`config\`) are resolved against the directory gu was
  started in.
`;

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function commandLine(key: SettingKey): string {
  const { flags, kind, metavar } = registry[key];
  if (flags.length === 0) return `${code(kind.metavar)} (the positional argument)`;
  const argument = kind.isSwitch === true ? '' : ` ${metavar ?? kind.metavar}`;
  return flags.map((flag) => code(`${flag}${argument}`)).join(', ');
}

function defaultLine(key: SettingKey): string {
  const spec = registry[key];
  if (spec.defaultDoc !== undefined) return spec.defaultDoc;
  return typeof spec.default === 'function' ? '' : code(formatSettingValue(spec.default));
}

function settingEntry(key: SettingKey): string {
  const spec = registry[key];
  const facts = [
    `- Command line: ${commandLine(key)}`,
    `- Environment: ${spec.env ? code(spec.env.variable) : '—'}`,
    `- Config file key: ${spec.inConfigFile === false ? '— (command line only)' : code(key)}`,
    `- Default: ${defaultLine(key)}`,
    `- Expected: ${spec.kind.expected}`,
  ];
  return [`### ${spec.name}`, facts.join('\n'), spec.doc].join('\n\n');
}

/** The Markdown of docs/settings.md, generated from the registry. */
export function renderSettingsReference(): string {
  const parts = sections.flatMap((section) => {
    const keys = settingKeys.filter((key) => registry[key].section === section);
    return keys.length === 0 ? [] : [`## ${section}`, ...keys.map(settingEntry)];
  });
  return `${[HEADER.trimEnd(), ...parts].join('\n\n')}\n`;
}
