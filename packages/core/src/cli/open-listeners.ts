import type { Settings } from '../settings/types.js';
import type { ArbiterListener } from '../sockets/arbiter-listener.js';
import { parseBindAddress } from '../sockets/bind-address.js';
import { bindListeners } from '../sockets/bind-listeners.js';
import { reconcileListeners } from '../sockets/reconcile-listeners.js';
import { listenersFromSystemd } from '../sockets/systemd.js';
import { listenersFromUpgrade } from '../sockets/upgrade-listeners.js';

export interface OpenedListeners {
  readonly listeners: ArbiterListener[];
  /** From systemd: `bind` is ignored, also on reload. */
  readonly fromSystemd: boolean;
  /** Started by USR2: the old arbiter's pid. */
  readonly oldArbiterPid: number | null;
}

/**
 * The arbiter's sockets, from the first source that has them: the old arbiter (USR2: GU_FD, kept
 * by their bind value, as a reload keeps them), systemd socket activation, or `bind`.
 */
export async function openListeners(settings: Settings, env: NodeJS.ProcessEnv): Promise<OpenedListeners> {
  const inherited = listenersFromUpgrade(env, process.ppid);
  if (inherited) {
    const change = await reconcileListeners(inherited.listeners, settings.bind, { backlog: settings.backlog });
    // The old arbiter still serves on those until it stops: leave their files in place.
    for (const listener of change.removed) listener.close({ keepFile: true });
    return { listeners: change.listeners, fromSystemd: false, oldArbiterPid: inherited.oldArbiterPid };
  }
  const systemd = listenersFromSystemd(env, process.pid);
  if (systemd) return { listeners: systemd, fromSystemd: true, oldArbiterPid: null };
  const listeners = await bindListeners(settings.bind.map(parseBindAddress), { backlog: settings.backlog });
  return { listeners, fromSystemd: false, oldArbiterPid: null };
}
