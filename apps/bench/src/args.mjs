// Command-line flags of the harness. One table declares each flag once: its default, its meaning
// (for --help) and the range it must be in.
import { parseArgs } from 'node:util';

const integerFlags = {
  rounds: { default: 5, min: 1, max: 100, help: 'rounds; each loads both servers, baseline or gu first in turn' },
  duration: { default: 5, min: 1, max: 600, help: 'seconds of load per server per round' },
  connections: { default: 50, min: 1, max: 10000, help: 'concurrent keep-alive connections of the load generator' },
  workers: { default: 1, min: 1, max: 64, help: "gu's -w (the baseline is always one process)" },
  warmup: { default: 2, min: 0, max: 600, help: 'seconds of load on each server before the first round' },
};

const booleanFlags = {
  'no-pin': { help: 'do not pin the load generator and the servers to separate CPUs (taskset)' },
  'self-check': { help: 'run the baseline on both sides (checks the harness: the ratio should be ~1.00)' },
  help: { help: 'print this help' },
};

export const usage = [
  'usage: tooling/run bench [flags]    (or: node apps/bench/src/bench.mjs [flags])',
  ...Object.entries(integerFlags).map(([name, flag]) => `  --${name} N`.padEnd(20) + `${flag.help} (default ${flag.default})`),
  ...Object.entries(booleanFlags).map(([name, flag]) => `  --${name}`.padEnd(20) + flag.help),
].join('\n');

/** Thrown for a flag the harness cannot use; bench.mjs prints it with the usage and exits 2. */
export class UsageError extends Error {}

function toInteger(name, text) {
  const { min, max } = integerFlags[name];
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

/**
 * Parses argv into { rounds, duration, connections, workers, warmup, pin, selfCheck, help }.
 * Throws UsageError on an unknown flag or a value out of range.
 */
export function parseBenchArgs(argv) {
  const options = {
    ...Object.fromEntries(Object.keys(integerFlags).map((name) => [name, { type: 'string' }])),
    ...Object.fromEntries(Object.keys(booleanFlags).map((name) => [name, { type: 'boolean' }])),
  };
  // `pnpm bench -- --rounds 3` hands the `--` over as well.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  let values;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error.message);
  }
  const integers = Object.fromEntries(
    Object.entries(integerFlags).map(([name, flag]) => [
      name,
      values[name] === undefined ? flag.default : toInteger(name, values[name]),
    ]),
  );
  return {
    ...integers,
    pin: values['no-pin'] !== true,
    selfCheck: values['self-check'] === true,
    help: values.help === true,
  };
}
