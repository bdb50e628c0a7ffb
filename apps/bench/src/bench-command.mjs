import { onInterrupt } from './rounds.mjs';

const say = (text = '') => process.stdout.write(`${text}\n`);

/**
 * The life of one bench command, shared by every script that starts servers: its flags parsed (a
 * usage error prints `usage` and returns 2, `--help` prints it and returns 0); `run(options, signal,
 * servers)` starts what it loads into `servers`, which are stopped whatever happens; the first
 * SIGINT/SIGTERM aborts `signal` (130), a second kills the servers at once; any other failure is one
 * line on stderr (1). `isUsageError` tells a bad flag from a bug in the parser (default: every throw).
 */
export async function runBench({ name, argv = [], parse, usage = '', isUsageError = () => true, run }) {
  let options;
  try {
    options = parse(argv);
  } catch (error) {
    if (!isUsageError(error)) throw error;
    process.stderr.write(`${name}: ${error.message}\n${usage}\n`);
    return 2;
  }
  if (options.help) {
    say(usage);
    return 0;
  }
  const controller = new AbortController();
  const servers = [];
  const interrupt = onInterrupt(controller, servers);
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    await run(options, controller.signal, servers);
    return 0;
  } catch (error) {
    if (controller.signal.aborted) return 130;
    process.stderr.write(`${name}: ${error.message}\n`);
    return 1;
  } finally {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
  }
}
