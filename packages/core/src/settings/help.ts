import { builtinFlags } from './command-line.js';
import { formatSettingValue } from './format-value.js';
import { registry, sections, settingKeys, type SettingKey } from './registry.js';

const WIDTH = 100;
const INDENT = '  ';

interface HelpRow {
  readonly flags: string;
  readonly text: string;
}

/** The first sentence of a doc paragraph, without Markdown backticks: the one-line help. */
export function summaryOf(doc: string): string {
  const [first = doc] = doc.split(/(?<=\.)\s+(?=[A-Z`])/);
  return first.replaceAll('`', '');
}

function defaultText(key: SettingKey): string {
  const spec = registry[key];
  if (spec.defaultDoc !== undefined) return spec.defaultDoc;
  return typeof spec.default === 'function' ? '' : formatSettingValue(spec.default);
}

function settingRow(key: SettingKey): HelpRow {
  const { flags, metavar, kind, doc } = registry[key];
  const argument = kind.isSwitch === true ? '' : ` ${metavar ?? kind.metavar}`;
  return { flags: `${flags.join(', ')}${argument}`, text: `${summaryOf(doc)} [${defaultText(key)}]` };
}

function sectionRows(): [string, HelpRow[]][] {
  const general = Object.values(builtinFlags).map(({ flags, doc }): HelpRow => ({ flags: flags.join(', '), text: doc }));
  const grouped = sections.map((section): [string, HelpRow[]] => [
    section,
    settingKeys.filter((key) => registry[key].section === section && registry[key].flags.length > 0).map(settingRow),
  ]);
  return [['General', general], ...grouped.filter(([, rows]) => rows.length > 0)];
}

/** Wraps `text` to WIDTH, continuation lines indented to `column`. */
function wrap(text: string, column: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && column + line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(column)}`);
}

function environmentLine(): string {
  const variables = settingKeys.flatMap((key) => {
    const source = registry[key].env;
    return source ? [`${source.variable} for ${registry[key].name}`] : [];
  });
  const layers = [
    'defaults',
    `the environment (${variables.join(', ')})`,
    'the config file',
    'GU_CMD_ARGS (extra arguments, split like a shell)',
    'then this command line',
  ];
  return `Settings come from, lowest first: ${layers.join(', ')}.`;
}

/** The `gu --help` text, generated from the registry and grouped by section as Gunicorn's is. No trailing newline. */
export function renderHelp(): string {
  const groups = sectionRows();
  const flagWidth = Math.max(...groups.flatMap(([, rows]) => rows.map((row) => row.flags.length))) + 2;
  const column = INDENT.length + flagWidth;
  const line = (row: HelpRow): string => `${INDENT}${row.flags.padEnd(flagWidth)}${wrap(row.text, column)}`;
  const blocks = groups.map(([title, rows]) => [`${title}:`, ...rows.map(line)].join('\n'));
  const intro = [
    'usage: gu [OPTIONS] [APP_MODULE]',
    '',
    wrap(`Serves APP_MODULE (${registry.app.kind.expected}) with a pre-fork arbiter and worker processes.`, 0),
  ].join('\n');
  return [intro, ...blocks, wrap(environmentLine(), 0)].join('\n\n');
}
