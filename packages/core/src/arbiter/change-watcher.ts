import { globSync, watch, type FSWatcher } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../logging/logger.js';

/** Changes are gathered this long into one reload: an editor's save is often several events. */
const SETTLE_MS = 200;

/**
 * `--reload`: watches the files the workers loaded and those `reload_extra_files` names, and calls
 * `onChange` once per burst of changes. It watches their directories rather than the files, so an
 * editor that saves by writing a new file and renaming it over the old one is still seen.
 */
export class ChangeWatcher {
  private readonly files = new Set<string>();
  private readonly directories = new Map<string, FSWatcher>();
  private timer: NodeJS.Timeout | null = null;
  private firstChanged: string | null = null;

  constructor(
    private readonly log: Logger,
    private readonly onChange: (path: string) => void,
  ) {}

  /** Watches these files (absolute paths) from now on. */
  add(paths: Iterable<string>): void {
    for (const path of paths) {
      if (this.files.has(path)) continue;
      this.files.add(path);
      this.watchDirectory(dirname(path));
    }
  }

  /** Watches the files that match the glob patterns now (relative to `cwd`). */
  addPatterns(patterns: readonly string[], cwd: string): void {
    if (patterns.length > 0) this.add(globSync(patterns, { cwd }).map((path) => resolve(cwd, path)));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const watcher of this.directories.values()) watcher.close();
    this.directories.clear();
  }

  private watchDirectory(directory: string): void {
    if (this.directories.has(directory)) return;
    try {
      const watcher = watch(directory, { persistent: false }, (_event, name) => {
        if (name !== null) this.noticed(resolve(directory, name));
      });
      watcher.on('error', (error) => {
        this.log.warning(`--reload: stopped watching ${directory}: ${error.message}`);
      });
      this.directories.set(directory, watcher);
    } catch (error) {
      this.log.warning(`--reload: cannot watch ${directory}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private noticed(path: string): void {
    if (!this.files.has(path)) return;
    this.firstChanged ??= path;
    this.timer ??= setTimeout(() => {
      const changed = this.firstChanged;
      this.timer = null;
      this.firstChanged = null;
      if (changed !== null) this.onChange(changed);
    }, SETTLE_MS);
  }
}
