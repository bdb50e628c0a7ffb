// The gu command a recipe file documents in a `# gu: gu …` comment, as the tests run it: one line
// of plain words (no quotes), so the file a reader copies from is the one under test.
import { readFileSync } from 'node:fs';

/** The arguments after `gu` on the file's `# gu:` line; throws when there is none or it is quoted. */
export function documentedGuArgs(path: string): string[] {
  const line = /^# gu: gu (.+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
  if (line === undefined) throw new Error(`${path} has no "# gu: gu …" line`);
  if (/["'\\$]/.test(line)) throw new Error(`${path}: the "# gu:" line must be plain words: ${line}`);
  return line.trim().split(/\s+/);
}

/** `args` with `--workers N` set to `workers`: the tests need one worker where a host runs several. */
export function withWorkers(args: readonly string[], workers: number): string[] {
  const at = args.indexOf('--workers');
  if (at < 0) return [...args, '--workers', String(workers)];
  return args.map((arg, index) => (index === at + 1 ? String(workers) : arg));
}
