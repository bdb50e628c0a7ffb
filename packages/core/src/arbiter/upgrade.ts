import type { Logger } from '../logging/logger.js';
import type { ArbiterListener } from '../sockets/arbiter-listener.js';
import { Pidfile } from './pidfile.js';
import { Reexec, type StartContext } from './reexec.js';

export interface UpgradeOptions {
  readonly log: Logger;
  /** The `pidfile` setting. */
  readonly pidfile: string | null;
  /** How gu was started: what USR2 starts again. Without it USR2 is refused. */
  readonly startContext: StartContext | undefined;
  /** In an arbiter started by USR2: the old arbiter's pid, until that one exits. */
  readonly oldArbiterPid: number | null;
  /** Runs the arbiter's loop again (the new arbiter exited, or the old one did). */
  readonly wakeup: () => void;
}

/**
 * The binary upgrade (USR2) from both sides, with the pidfile names Gunicorn gives it: the old
 * arbiter renames `<pidfile>` to `<pidfile>.oldbin` and starts the new one, which writes
 * `<pidfile>.2` and takes `<pidfile>` once the old one has exited. If the new one dies first, the
 * old one takes its pidfile back and carries on.
 */
export class Upgrade {
  readonly pidfile: Pidfile | null;
  private readonly reexec: Reexec | null;
  private oldArbiterPid: number | null;
  private oldArbiterGone = false;

  constructor(private readonly options: UpgradeOptions) {
    this.oldArbiterPid = options.oldArbiterPid;
    const path = options.pidfile;
    this.pidfile = path ? new Pidfile(this.oldArbiterPid === null ? path : `${path}.2`) : null;
    this.reexec = options.startContext
      ? new Reexec(options.startContext, options.log, () => {
          this.onNewArbiterExit();
        })
      : null;
  }

  /** Another arbiter serves on the same sockets: unix socket files must stay. */
  get sharingSockets(): boolean {
    return (this.reexec?.running ?? false) || this.oldArbiterPid !== null;
  }

  /** The new arbiter this one started (USR2), while it runs: the one to hand systemd over to. */
  get successorPid(): number | null {
    return this.reexec?.pid ?? null;
  }

  /**
   * USR2: starts a new arbiter on `listeners`, unless one upgrade is already under way;
   * `beforeExec` (the pre_exec hook) runs first.
   */
  async start(listeners: readonly ArbiterListener[], beforeExec: () => Promise<void>): Promise<void> {
    const refusal = this.refusal();
    if (refusal) {
      this.options.log.warning(refusal);
      return;
    }
    await beforeExec();
    if (this.options.pidfile) this.pidfile?.rename(`${this.options.pidfile}.oldbin`);
    this.reexec?.start(listeners);
  }

  /** In an arbiter started by USR2: the IPC channel to the old arbiter closes when it exits. */
  watchOldArbiter(): void {
    if (this.oldArbiterPid === null) return;
    const gone = (): void => {
      this.oldArbiterGone = true;
      this.options.wakeup();
    };
    if (!process.channel) {
      gone();
      return;
    }
    process.once('disconnect', gone);
    process.channel.unref();
  }

  /** Called from the loop: once the old arbiter has gone, this one takes the pidfile. */
  promoteIfOldArbiterGone(): void {
    if (this.oldArbiterPid === null || !this.oldArbiterGone) return;
    this.options.log.info(`Arbiter promoted: the old arbiter (pid: ${this.oldArbiterPid}) has exited`);
    this.oldArbiterPid = null;
    if (this.options.pidfile) this.pidfile?.rename(this.options.pidfile);
  }

  private refusal(): string | null {
    if (!this.reexec) return 'USR2 signal ignored: this arbiter cannot start a new one';
    if (this.reexec.running) return 'USR2 signal ignored. Child exists.';
    if (this.oldArbiterPid !== null) return 'USR2 signal ignored. Parent exists.';
    return null;
  }

  /** The new arbiter died before this one stopped: this one stays in charge, under its own pidfile. */
  private onNewArbiterExit(): void {
    if (this.options.pidfile) this.pidfile?.rename(this.options.pidfile);
    this.options.wakeup();
  }
}
