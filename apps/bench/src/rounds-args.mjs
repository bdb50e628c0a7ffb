// The flags of the harnesses that compare two servers in rounds with nothing else to set (asgi.mjs,
// fetch-adapter.mjs): --rounds, --duration, --connections, --help.
import { parseArgs } from 'node:util';

/** Parses `argv` (a leading `--` skipped; defaults 8 rounds of 3 s, 50 connections); throws on a flag that is not a positive integer. */
export function parseRoundsArgs(argv) {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      rounds: { type: 'string', default: '8' },
      duration: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      help: { type: 'boolean', default: false },
    },
  });
  const numbers = [Number(values.rounds), Number(values.duration), Number(values.connections)];
  if (!numbers.every((value) => Number.isInteger(value) && value >= 1)) {
    throw new Error('--rounds, --duration and --connections: expected positive integers');
  }
  const [roundCount, seconds, connectionCount] = numbers;
  return { rounds: roundCount, duration: seconds, connections: connectionCount, warmup: 2, fresh: false, help: values.help };
}
