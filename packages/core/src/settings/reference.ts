import { configFileNames } from './config-file.js';
import { formatSettingValue } from './format-value.js';
import { registry, sections, settingKeys, type SettingKey } from './registry.js';
import { hookNames, hookSpecs, type HookName } from '../hooks/server-hooks.js';

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
  if (flags.length === 0) return key === 'app' ? `${code(kind.metavar)} (the positional argument)` : '— (config file only)';
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

const HOOKS_INTRO = `Gunicorn's server hooks, camelCased, as top-level functions of the config file (\`defineConfig\`
types them; \`ServerHooks\` in \`@gu/core\` names their arguments). A hook may be async: gu waits for it,
in the arbiter for at most \`timeout\` seconds (then it logs the hook as still running and goes on, so a
hung hook never stalls the arbiter), in a worker likewise. A hook that throws is logged with its stack
and the server goes on, except \`postWorkerInit\`, whose failure is a failed boot. Functions cannot
travel to the worker processes: each worker imports the same config file again (its top-level code
runs there too) and takes its hooks from it. A reload (HUP) reads the hooks again with the settings.
\`--print-config\` shows which hooks are set.`;

function hookEntry(name: HookName): string {
  const spec = hookSpecs[name];
  return `- ${code(name)} (Gunicorn's \`${spec.name}\`, in the ${spec.runsIn}): ${spec.when}.`;
}

/** The Markdown of docs/settings.md, generated from the registry. */
export function renderSettingsReference(): string {
  const parts = sections.flatMap((section) => {
    const keys = settingKeys.filter((key) => registry[key].section === section);
    return keys.length === 0 ? [] : [`## ${section}`, ...keys.map(settingEntry)];
  });
  const hooks = ['## Server Hooks', HOOKS_INTRO, hookNames.map(hookEntry).join('\n')];
  return `${[HEADER.trimEnd(), ...parts, ...hooks].join('\n\n')}\n`;
}
