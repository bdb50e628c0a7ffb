import net from 'node:net';
import { resolve } from 'node:path';
import { ExitCode, GuError, errorTable, guErrorCodeOf, type GuErrorCode } from '../errors.js';
import { commands } from '../control/commands.js';
import type { ControlAnswer } from '../control/protocol.js';
import { loadSettings } from '../settings/load-settings.js';
import { formatters } from './ctl-format.js';

interface Io {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

interface CtlArgs {
  readonly socket: string | null;
  readonly config: string | null;
  readonly json: boolean;
  readonly help: boolean;
  readonly words: readonly string[];
}

/** How long `gu ctl` waits for the arbiter's answer (a reload answers once the new settings are in force). */
const ANSWER_TIMEOUT_MS = 60_000;
/** An answer line longer than this is not one the arbiter sends. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * `gu ctl [--control-socket PATH] COMMAND [ARGS] [--json]`: one command to a running arbiter over
 * its control socket. Exit codes: 0 done, 1 the arbiter refused it, 2 usage (unknown command, bad
 * arguments, no socket path), 6 no arbiter answers on the socket.
 */
export async function ctl(argv: readonly string[], io: Io): Promise<number> {
  try {
    const args = parseCtlArgs(argv);
    if (args.help) {
      io.stdout.write(ctlHelp());
      return ExitCode.OK;
    }
    const { command, commandArgs } = splitCommand(args.words);
    commands[command]?.check(commandArgs);
    const socket = args.socket ?? (await socketFromSettings(args.config));
    const answer = await ask(socket, command, commandArgs);
    if (!answer.ok) {
      io.stderr.write(`gu ctl: ${answer.error.code}: ${answer.error.message}\n`);
      return Object.hasOwn(errorTable, answer.error.code) ? errorTable[answer.error.code].exitCode : ExitCode.INTERNAL;
    }
    io.stdout.write(args.json ? `${JSON.stringify(answer.result, null, 2)}\n` : (formatters[command]?.(answer.result) ?? `${JSON.stringify(answer.result)}\n`));
    return ExitCode.OK;
  } catch (error) {
    const code = guErrorCodeOf(error);
    io.stderr.write(`gu ctl: ${error instanceof Error ? error.message : String(error)}\n`);
    return code === null ? ExitCode.INTERNAL : errorTable[code].exitCode;
  }
}

const valueFlags: Readonly<Record<string, 'socket' | 'config'>> = {
  '--control-socket': 'socket',
  '-s': 'socket',
  '--config': 'config',
  '-c': 'config',
};

function parseCtlArgs(argv: readonly string[]): CtlArgs {
  const values: { socket: string | null; config: string | null } = { socket: null, config: null };
  const words: string[] = [];
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const target = valueFlags[flag];
    if (target) {
      const value = inline ?? argv[(i += 1)];
      if (value === undefined || value === '') throw usage(`${flag} expects a value`);
      values[target] = value;
    } else if (arg === '--json') json = true;
    else if (arg === '--help' || arg === '-h') help = true;
    else if (arg.startsWith('-') && !/^-?\d+$/.test(arg)) throw usage(`unknown option ${arg} (see gu ctl --help)`);
    else words.push(arg);
  }
  return { ...values, json, help, words };
}

/** `worker kill 123` → the two-word command and its argument; the longest command name that matches wins. */
function splitCommand(words: readonly string[]): { command: string; commandArgs: readonly string[] } {
  if (words.length === 0) throw usage(`no command given (expected one of ${Object.keys(commands).join(', ')})`);
  for (const take of [2, 1]) {
    const command = words.slice(0, take).join(' ');
    if (words.length >= take && Object.hasOwn(commands, command)) return { command, commandArgs: words.slice(take) };
  }
  throw usage(`unknown command ${JSON.stringify(words.join(' '))} (expected one of ${Object.keys(commands).join(', ')})`);
}

/** Without --control-socket: `control_socket` as gu would read it here (config file, GU_CMD_ARGS). */
async function socketFromSettings(config: string | null): Promise<string> {
  const result = await loadSettings({ argv: config ? ['-c', config] : [], env: process.env, cwd: process.cwd() });
  const path = result.kind === 'run' ? result.settings.controlSocket : null;
  if (!path) throw usage('no control socket: give --control-socket PATH, or set control_socket in the config file');
  return resolve(path);
}

/** Sends one request line and reads one answer line. */
function ask(path: string, command: string, args: readonly string[]): Promise<ControlAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const unreachable = (why: string): void => {
      socket.destroy();
      reject(new GuError('GU_ERR_CTL_UNREACHABLE', `cannot reach an arbiter at ${path}: ${why}`));
    };
    const socket = net.connect(path);
    const chunks: Buffer[] = [];
    let size = 0;
    socket.setTimeout(ANSWER_TIMEOUT_MS, () => {
      unreachable(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`);
    });
    socket.once('connect', () => socket.write(`${JSON.stringify({ command, args })}\n`));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      unreachable(error.code === 'ENOENT' ? 'no such socket (is gu running with this control_socket?)' : (error.code ?? error.message));
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\n');
      if (end === -1) {
        if (size > MAX_ANSWER_BYTES) unreachable('the answer is not a line');
        return;
      }
      socket.end();
      try {
        resolveAnswer(JSON.parse(text.slice(0, end)) as ControlAnswer);
      } catch {
        unreachable('the answer is not JSON');
      }
    });
    socket.once('end', () => {
      unreachable('it hung up without answering');
    });
  });
}

function usage(message: string): GuError {
  return new GuError('GU_ERR_CTL_COMMAND', message);
}

export function ctlHelp(): string {
  const rows = Object.entries(commands).map(([name, spec]) => [`${name}${spec.usage ? ` ${spec.usage}` : ''}`, spec.summary] as const);
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = rows.map(([left, summary]) => `  ${left.padEnd(width)}  ${summary}`);
  const exit = (code: GuErrorCode): number => errorTable[code].exitCode;
  return `usage: gu ctl [--control-socket PATH] [-c CONFIG] COMMAND [ARGS] [--json]

Talk to a running gu arbiter over its control socket (the control_socket setting).

commands:
${lines.join('\n')}

options:
  -s, --control-socket PATH  the arbiter's control socket; by default control_socket as gu reads it here
                             (the config file, GU_CMD_ARGS)
  -c, --config CONFIG        read control_socket from this config file
  --json                     print the raw result as JSON, for scripts
  -h, --help                 show this help

exit codes: 0 done, ${exit('GU_ERR_CTL_REFUSED')} refused by the arbiter, ${exit('GU_ERR_CTL_COMMAND')} usage error, ${exit('GU_ERR_CTL_UNREACHABLE')} no arbiter answers on the socket
`;
}
