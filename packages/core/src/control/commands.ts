import { GuError } from '../errors.js';
import type { WorkerFigures } from '../worker/protocol.js';
import type { ArbiterPort } from './arbiter-port.js';
import type { ControlAction } from './actions.js';

/** `scale` refuses more workers than this: a typo (`scale 4000`) must not fork thousands of processes. */
export const MAX_SCALE = 256;

/** One control command: how it is written, what it does, and how it runs against the arbiter. */
export interface CommandSpec {
  /** The arguments, as `--help` shows them. */
  readonly usage: string;
  readonly summary: string;
  /** Checks the arguments (throws GU_ERR_CTL_COMMAND); the client checks them too, before sending. */
  readonly check: (args: readonly string[]) => void;
  readonly run: (port: ArbiterPort, args: readonly string[]) => unknown;
}

const noArgs = (name: string) => (args: readonly string[]): void => {
  if (args.length > 0) throw usage(`${name} takes no arguments`);
};

/** Every control command, in the order `gu ctl --help` lists them. */
export const commands: Readonly<Record<string, CommandSpec>> = {
  status: {
    usage: '',
    summary: 'the arbiter: pid, uptime, settings digest, reload generation, workers and target',
    check: noArgs('status'),
    run: (port) => port.status(),
  },
  workers: {
    usage: '',
    summary: 'each worker: pid, age, generation, requests served, in flight, RSS, loop delay, last beat',
    check: noArgs('workers'),
    run: workersWithFigures,
  },
  stats: {
    usage: '',
    summary: 'totals over every worker this arbiter ran (requests never go down), exits by cause, per-worker figures',
    check: noArgs('stats'),
    run: async (port) => {
      const { totals } = await port.figures();
      return { ...totals, workers: await workersWithFigures(port) };
    },
  },
  reload: {
    usage: '',
    summary: 'reload the settings and replace the workers, as HUP does',
    check: noArgs('reload'),
    run: (port) => port.perform({ command: 'reload' }),
  },
  scale: {
    usage: 'N',
    summary: `keep N workers (1 to ${MAX_SCALE}), as TTIN and TTOU do one at a time`,
    check: (args) => void scaleAction(args),
    run: (port, args) => port.perform(scaleAction(args)),
  },
  'worker kill': {
    usage: 'PID',
    summary: 'stop one worker gracefully (TERM); the arbiter starts its replacement',
    check: (args) => void killAction(args),
    run: (port, args) => port.perform(killAction(args)),
  },
};

/** Runs `command` (its result, or a promise of it), or throws GU_ERR_CTL_COMMAND for one that does not exist or bad arguments. */
export function runCommand(port: ArbiterPort, command: string, args: readonly string[]): unknown {
  const spec = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!spec) throw usage(`unknown command ${JSON.stringify(command)} (expected one of ${Object.keys(commands).join(', ')})`);
  spec.check(args);
  return spec.run(port, args);
}

/** The figures `workers` and `stats` show: not `metrics`, prom-client's JSON that only /metrics reads. */
type ShownFigures = Omit<WorkerFigures, 'metrics'>;

/** A worker as `workers` and `stats` list it; `answered: false` when it did not answer in time. */
export type WorkerReport = ReturnType<ArbiterPort['workers']>[number] & Partial<ShownFigures> & { readonly answered: boolean };

async function workersWithFigures(port: ArbiterPort): Promise<WorkerReport[]> {
  const { round } = await port.figures();
  return port.workers().map((worker) => {
    const figures = round.get(worker.pid) ?? null;
    if (!figures) return { ...worker, answered: false };
    const { requests, inFlight, rss, loopDelay } = figures;
    return { ...worker, requests, inFlight, rss, loopDelay, answered: true };
  });
}

function scaleAction(args: readonly string[]): ControlAction {
  const count = singleInteger(args, 'scale N');
  if (count < 1 || count > MAX_SCALE) throw usage(`scale: invalid worker count ${args[0] ?? ''} (expected an integer from 1 to ${MAX_SCALE})`);
  return { command: 'scale', workers: count };
}

function killAction(args: readonly string[]): ControlAction {
  const pid = singleInteger(args, 'worker kill PID');
  if (pid < 1) throw usage(`worker kill: invalid pid ${args[0] ?? ''} (expected the pid of one of this arbiter's workers)`);
  return { command: 'kill', pid };
}

function singleInteger(args: readonly string[], form: string): number {
  const [text] = args;
  if (args.length !== 1 || text === undefined || !/^\d{1,9}$/.test(text.trim())) {
    throw usage(`${form}: expected one integer, got ${args.length === 0 ? 'none' : JSON.stringify(args.join(' '))}`);
  }
  return Number(text);
}

function usage(message: string): GuError {
  return new GuError('GU_ERR_CTL_COMMAND', message);
}
