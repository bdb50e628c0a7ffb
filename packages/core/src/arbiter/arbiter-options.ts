import type { Settings } from '../settings/types.js';
import type { Logger } from '../logging/logger.js';
import type { ArbiterListener } from '../sockets/arbiter-listener.js';
import type { Hooks } from '../hooks/server-hooks.js';
import type { StartContext } from './reexec.js';
import type { ReloadSettings } from './reloader.js';
import type { WorkerEnv } from './worker-env.js';
import type { Operations } from '../control/operations.js';

/** What the CLI hands the arbiter: the checked settings, the bound sockets, and how to start again. */
export interface ArbiterOptions {
  readonly settings: Settings;
  readonly log: Logger;
  /** Already bound; the arbiter owns them from here on and closes them when it exits. */
  readonly listeners: readonly ArbiterListener[];
  readonly workerClassPath: string;
  /** Reads the settings again as gu read them at start, checked as before binding (HUP). */
  readonly reloadSettings?: ReloadSettings;
  /** The sockets came from systemd: `bind` is ignored, also on reload. */
  readonly fixedListeners?: boolean;
  /** How gu was started: what USR2 starts again. Without it USR2 is refused. */
  readonly startContext?: StartContext;
  /** In an arbiter started by USR2: the old arbiter's pid, until that one exits. */
  readonly oldArbiterPid?: number | null;
  /** The server hooks of the config file. */
  readonly hooks?: Hooks;
  /** The environment of each worker forked; gu's own when not given. */
  readonly workerEnv?: WorkerEnv;
  /** Told the number of live workers each turn of the loop (StatsD's `workers` gauge). */
  readonly metrics?: { workers(count: number): void } | null;
  /** The control socket and health listener, already bound; the arbiter attaches and closes them. */
  readonly operations?: Operations;
  /** Extra cleanup on exit (other loggers). */
  readonly onExit?: () => Promise<void>;
}
