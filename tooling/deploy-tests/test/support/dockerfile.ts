// A Dockerfile as the tests read it: instructions (continuation lines joined, comments dropped)
// grouped by stage, with exec-form arguments parsed as the JSON arrays they are.
import { readFileSync } from 'node:fs';

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

export interface Stage {
  readonly from: string;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

/** Comments and the parser directive dropped, `\` continuations joined, then split into stages. */
export function readDockerfile(path: string): Stage[] {
  const logical = readFileSync(path, 'utf8').split('\n').filter((line) => !/^\s*#/.test(line)).join('\n').replace(/\\\n/g, ' ');
  const stages: { from: string; name: string | null; instructions: Instruction[] }[] = [];
  for (const line of logical.split('\n').map((text) => text.trim()).filter(Boolean)) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const [from = '', as, name] = rest;
      stages.push({ from, name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, instructions: [] });
    } else if (instruction.keyword !== 'ARG' || stages.length > 0) {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The arguments of the stage's last `keyword` (the one in force), or undefined. */
export function last(stage: Stage, keyword: string): string | undefined {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
}

/** An exec-form (JSON array) instruction's argv; throws on the shell form, which docker runs under /bin/sh -c. */
export function execForm(args: string | undefined, what: string): string[] {
  const parsed: unknown = args?.startsWith('[') ? JSON.parse(args) : undefined;
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) throw new Error(`${what} is not in exec form (a JSON array of strings): ${args}`);
  return parsed;
}

/** `ENV A=1 B=2` lines of the stage, later ones winning; `$NAME` expanded from earlier values and `base`. */
export function envOf(stage: Stage, base: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((instruction) => instruction.keyword === 'ENV')) {
    for (const [, name = '', value = ''] of args.matchAll(/(\w+)=(\S*)/g)) {
      env[name] = value.replace(/\$(\w+)/g, (_, variable: string) => env[variable] ?? base[variable] ?? '');
    }
  }
  return env;
}
