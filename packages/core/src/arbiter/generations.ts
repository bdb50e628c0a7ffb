import type { Settings } from '../settings/types.js';
import type { ArbiterListener } from '../sockets/arbiter-listener.js';
import type { Hooks } from '../hooks/server-hooks.js';

/** What workers of one generation are started with. */
export interface GenerationConfig {
  readonly settings: Settings;
  readonly workerClassPath: string;
  readonly listeners: readonly ArbiterListener[];
  /** The server hooks of the config file these settings came from. */
  readonly hooks: Hooks;
}

/**
 * Reload (HUP) bookkeeping. Each reload starts a new generation of workers; it stays pending until
 * one of its workers reports ready, and until then it can be rolled back to the last generation that
 * did boot: the old workers never stopped serving, so a broken deploy costs nothing but a log line.
 */
export class Generations {
  private number = 1;
  /** Numbers are never reused: workers of a rolled-back generation may still be on their way out. */
  private latest = 1;
  private config: GenerationConfig;
  /** The last generation known to boot, while a newer one is pending. */
  private committed: { readonly number: number; readonly config: GenerationConfig } | null = null;

  constructor(initial: GenerationConfig) {
    this.config = initial;
  }

  get current(): number {
    return this.number;
  }

  get settings(): Settings {
    return this.config.settings;
  }

  get workerClassPath(): string {
    return this.config.workerClassPath;
  }

  get listeners(): readonly ArbiterListener[] {
    return this.config.listeners;
  }

  get hooks(): Hooks {
    return this.config.hooks;
  }

  /** Every listener open for the current generation or the one a pending reload may return to. */
  get allListeners(): readonly ArbiterListener[] {
    const previous = this.committed?.config.listeners ?? [];
    return [...this.config.listeners, ...without(previous, this.config.listeners)];
  }

  /** A reload started and none of its workers is ready yet. */
  get pending(): boolean {
    return this.committed !== null;
  }

  /** Starts generation n+1. A reload during a pending one supersedes it; the rollback target stays. */
  begin(config: GenerationConfig): void {
    this.committed ??= { number: this.number, config: this.config };
    this.latest += 1;
    this.number = this.latest;
    this.config = config;
  }

  /** A worker of the current generation is ready: returns the listeners no longer used, to close. */
  commit(): ArbiterListener[] {
    if (!this.committed) return [];
    const unused = without(this.committed.config.listeners, this.config.listeners);
    this.committed = null;
    return unused;
  }

  /** The pending generation failed to boot: back to the last good one; returns listeners to close. */
  rollback(): ArbiterListener[] {
    if (!this.committed) return [];
    const unused = without(this.config.listeners, this.committed.config.listeners);
    ({ number: this.number, config: this.config } = this.committed);
    this.committed = null;
    return unused;
  }
}

function without(listeners: readonly ArbiterListener[], kept: readonly ArbiterListener[]): ArbiterListener[] {
  return listeners.filter((listener) => !kept.includes(listener));
}
