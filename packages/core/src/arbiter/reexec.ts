import { spawn, type ChildProcess } from 'node:child_process';
import type { Logger } from '../logging/logger.js';
import type { ArbiterListener } from '../sockets/arbiter-listener.js';
import { upgradeEnvironment } from '../sockets/upgrade-listeners.js';

/** How gu was started: what USR2 starts again. */
export interface StartContext {
  readonly cwd: string;
  /** Node's own options, then the script and gu's arguments (process.execArgv, process.argv.slice(1)). */
  readonly execArgv: readonly string[];
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** fds 0–2 are stdio and 3 the IPC channel by which the new arbiter sees this one exit. */
const FIRST_LISTENER_FD = 4;

/**
 * USR2 (Gunicorn's reexec): starts a new arbiter from the current executable and argv, in the
 * directory gu was started in, with the listening sockets inherited (GU_FD). Both arbiters serve
 * until TERM to the old one completes the switch; the new one notices its parent is gone and takes
 * over the pidfile.
 */
export class Reexec {
  private child: ChildProcess | null = null;

  constructor(
    private readonly context: StartContext,
    private readonly log: Logger,
    private readonly onExit: () => void,
  ) {}

  /** A new arbiter started by this one is still running. */
  get running(): boolean {
    return this.child !== null;
  }

  /** The new arbiter's pid while it runs. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(listeners: readonly ArbiterListener[]): void {
    const { cwd, execArgv, argv, env } = this.context;
    const child = spawn(process.execPath, [...execArgv, ...argv], {
      cwd,
      env: { ...env, ...upgradeEnvironment(listeners, FIRST_LISTENER_FD, process.pid) },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc', ...listeners.map((listener) => listener.fd)],
    });
    child.on('error', (error) => {
      this.log.error(`USR2: could not start a new arbiter: ${error.message}`);
    });
    child.once('exit', (code, signal) => {
      this.child = null;
      this.log.warning(`New arbiter (pid:${child.pid ?? '?'}) exited (${signal ?? `code ${code ?? '?'}`}); this one carries on`);
      this.onExit();
    });
    // Neither the process nor its channel may keep this arbiter alive once it has stopped.
    child.unref();
    child.channel?.unref();
    if (child.pid === undefined) return;
    this.child = child;
    this.log.info(`Started a new arbiter (pid:${child.pid}) for the upgrade`);
  }
}
