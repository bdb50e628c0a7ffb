import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import { reconcileListeners } from '../sockets/reconcile-listeners.js';
import type { ArbiterListener } from '../sockets/arbiter-listener.js';
import type { Generations } from './generations.js';
import type { Hooks } from '../hooks/server-hooks.js';
import { setProcessTitle } from './process-title.js';
import { listeningAt } from '../sockets/listener-url.js';

/** Reads the settings again, from the same argv, environment, config file and start directory. */
export type ReloadSettings = () => Promise<{ readonly settings: Settings; readonly workerClassPath: string; readonly hooks: Hooks }>;

export interface ReloaderOptions {
  readonly log: Logger;
  readonly read: ReloadSettings | undefined;
  /** Sockets from systemd: `bind` is ignored, so a reload keeps them as they are. */
  readonly fixedListeners: boolean;
  /** Told when a reload starts and when it has settled either way (systemd's RELOADING=1, READY=1). */
  readonly service?: { reloading(): void; reloaded(): void };
}

/**
 * HUP: re-reads the settings and starts a new generation of workers with them. Bad settings, an
 * address that cannot be bound, or a generation whose workers cannot boot leave the running workers
 * and the previous settings in place, with one error line.
 */
export class Reloader {
  private workersBefore: number | null = null;

  constructor(private readonly options: ReloaderOptions) {}

  /** Starts a generation; resolves with the new number of workers, or null when nothing changed. */
  async reload(generations: Generations, workers: number): Promise<number | null> {
    const { log, read, service } = this.options;
    service?.reloading();
    if (!read) {
      log.warning('HUP ignored: this arbiter cannot read its settings again');
      service?.reloaded();
      return null;
    }
    try {
      const next = await read();
      const { listeners, added } = await this.listenersFor(generations.listeners, next.settings);
      generations.begin({ settings: next.settings, workerClassPath: next.workerClassPath, listeners, hooks: next.hooks });
      for (const listener of added) log.info(`Listening at: ${listeningAt(listener.display, next.settings)} (${process.pid})`);
      this.workersBefore ??= workers;
      log.reopen();
      setProcessTitle('arbiter', next.settings);
      log.info(`Reloading: generation ${generations.current} starts ${next.settings.workers} worker(s); older ones stop as new ones become ready`);
      return next.settings.workers;
    } catch (error) {
      log.error(`Reload failed: ${error instanceof Error ? error.message : String(error)}; the workers keep serving with the current settings`);
      service?.reloaded();
      return null;
    }
  }

  /** A worker of the current generation is ready: the reload holds; unused listeners close. */
  commit(generations: Generations): void {
    if (!generations.pending) return;
    for (const listener of generations.commit()) listener.close();
    this.workersBefore = null;
    this.options.log.info(`Reload done: generation ${generations.current} is serving`);
    this.options.service?.reloaded();
  }

  /** The new generation cannot boot: back to the last good one; resolves with its number of workers. */
  rollback(generations: Generations, reason: string): number | null {
    const failed = generations.current;
    for (const listener of generations.rollback()) listener.close();
    setProcessTitle('arbiter', generations.settings);
    this.options.log.error(
      `Reload failed: generation ${failed} could not boot (${reason}); generation ${generations.current} keeps serving with the previous settings`,
    );
    this.options.service?.reloaded();
    const workers = this.workersBefore;
    this.workersBefore = null;
    return workers;
  }

  private async listenersFor(
    current: readonly ArbiterListener[],
    settings: Settings,
  ): Promise<{ listeners: readonly ArbiterListener[]; added: readonly ArbiterListener[] }> {
    if (this.options.fixedListeners) return { listeners: current, added: [] };
    return reconcileListeners(current, settings.bind, { backlog: settings.backlog });
  }
}
