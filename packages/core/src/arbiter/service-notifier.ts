import type { Logger } from '../logging/logger.js';
import { notifySocketAddress, openNotifySocket, type NotifySocket } from './notify-socket.js';

/** The variables systemd sets for the service's main process only: workers must not see them. */
const NOTIFY_VARIABLES = ['NOTIFY_SOCKET', 'WATCHDOG_USEC', 'WATCHDOG_PID'] as const;

/** What the notifier reads of the arbiter: its workers and the generation being served. */
export interface ServiceState {
  readonly workers: Iterable<{ readonly ready: boolean; readonly serving: boolean; readonly generation: number }>;
  readonly generation: number;
}

/** STATUS= for `systemctl status`, e.g. `STATUS=2 workers, generation 1`. */
function statusLine(ready: number, generation: number): string {
  return `STATUS=${ready} worker${ready === 1 ? '' : 's'}, generation ${generation}`;
}

/** The workers of the generation being served that are ready and not on their way out. */
function readyCount({ workers, generation }: ServiceState): number {
  let ready = 0;
  for (const worker of workers) if (worker.ready && worker.serving && worker.generation === generation) ready += 1;
  return ready;
}

/**
 * systemd's notify protocol (sd_notify(3)) for a `Type=notify` (or `notify-reload`) service: READY=1
 * once the first generation's workers are all ready, RELOADING=1 on HUP and READY=1 when the reload
 * has settled (served or rolled back), STOPPING=1 on shutdown, STATUS= lines, and WATCHDOG=1 at half
 * of WATCHDOG_USEC. Gunicorn sends READY=1 only. Without NOTIFY_SOCKET every call does nothing.
 */
export class ServiceNotifier {
  private readonly socket: NotifySocket | null;
  private watchdog: NodeJS.Timeout | null = null;
  private readySent = false;

  private constructor(
    socket: NotifySocket | null,
    private readonly state: () => ServiceState,
  ) {
    this.socket = socket;
  }

  /**
   * Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from `env` and removes them (as
   * sd_notify(unset_environment=1) does), so that workers forked from here neither notify nor count
   * as the watched process.
   */
  static fromEnvironment(env: NodeJS.ProcessEnv, log: Logger, state: () => ServiceState, oldArbiterPid: number | null = null): ServiceNotifier {
    const address = notifySocketAddress(env.NOTIFY_SOCKET);
    const watchdogUsec = watchdogInterval(env, [process.pid, oldArbiterPid]);
    for (const name of NOTIFY_VARIABLES) Reflect.deleteProperty(env, name);
    if (address === null) return new ServiceNotifier(null, state);
    let socket: NotifySocket;
    try {
      socket = openNotifySocket(address, (error) => {
        log.warning(`NOTIFY_SOCKET: could not notify systemd: ${error.message}`);
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.warning(`NOTIFY_SOCKET is set but the unix-dgram package could not be loaded (${reason}); systemd will not be notified (install it with its build script allowed)`);
      return new ServiceNotifier(null, state);
    }
    const notifier = new ServiceNotifier(socket, state);
    if (watchdogUsec !== null) notifier.startWatchdog(watchdogUsec);
    return notifier;
  }

  /** A worker became ready: READY=1 the first time every worker wanted is, STATUS= after that. */
  workerReady(wanted: number): void {
    const state = this.state();
    const ready = readyCount(state);
    if (this.readySent) this.send(statusLine(ready, state.generation));
    else if (ready >= wanted) {
      this.readySent = true;
      this.send(`READY=1\nMAINPID=${process.pid}\n${statusLine(ready, state.generation)}`);
    }
  }

  /** HUP: systemd shows the unit as reloading until the next READY=1. */
  reloading(): void {
    const usec = process.hrtime.bigint() / 1000n;
    this.send(`RELOADING=1\nMONOTONIC_USEC=${usec}\nSTATUS=Reloading`);
  }

  /** The reload is over: the new generation serves, or the old one still does. */
  reloaded(): void {
    const state = this.state();
    this.send(`READY=1\n${statusLine(readyCount(state), state.generation)}`);
  }

  /**
   * Shutdown. After USR2 a new arbiter serves on: systemd is told it is now the main process
   * (MAINPID=, accepted from the current main pid) rather than that the service stops, which would
   * end the unit and kill the new arbiter with it.
   */
  stopping(successorPid: number | null = null): void {
    this.stopWatchdog();
    if (successorPid === null) this.send('STOPPING=1\nSTATUS=Stopping');
    else this.send(`MAINPID=${successorPid}\nSTATUS=Handed over to the new arbiter (pid ${successorPid})`);
  }

  close(): void {
    this.stopWatchdog();
    this.socket?.close();
  }

  /** sd_watchdog_enabled(3) advises half the interval; the arbiter's loop proves itself alive. */
  private startWatchdog(usec: number): void {
    const ms = Math.max(1, Math.floor(usec / 2000));
    this.watchdog = setInterval(() => {
      this.send('WATCHDOG=1');
    }, ms);
    // The timer must not keep an arbiter alive that has nothing else to do.
    this.watchdog.unref();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
  }

  private send(message: string): void {
    this.socket?.send(message);
  }
}

/**
 * WATCHDOG_USEC in µs, or null when unset, invalid, or meant for another process (WATCHDOG_PID). An
 * arbiter started by USR2 keeps the old one's watchdog: it becomes the main process when that exits.
 */
function watchdogInterval(env: NodeJS.ProcessEnv, pids: readonly (number | null)[]): number | null {
  const usec = env.WATCHDOG_USEC;
  if (usec === undefined || !/^\d+$/.test(usec) || Number(usec) === 0) return null;
  if (env.WATCHDOG_PID !== undefined && !pids.some((pid) => pid !== null && env.WATCHDOG_PID === String(pid))) return null;
  return Number(usec);
}
