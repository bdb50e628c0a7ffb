import module from 'node:module';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** gu's own modules (and the worker class's, when installed) are no app code to watch. */
const NODE_MODULES = `${sep}node_modules${sep}`;
const GU_CORE = fileURLToPath(new URL('../', import.meta.url));

/**
 * `--reload`: the source files this worker loads, ESM and CommonJS alike (`.ts` too), learnt from a
 * module load hook (`module.registerHooks`, Node ≥ 22.15), so the arbiter can watch exactly them.
 * Files under node_modules and gu's own are left out.
 */
export class LoadedFiles {
  private readonly seen = new Set<string>();
  private fresh: string[] = [];

  /** False when this Node cannot tell which files load (no module.registerHooks). */
  static supported(): boolean {
    return typeof module.registerHooks === 'function';
  }

  start(): void {
    module.registerHooks({
      load: (url, context, nextLoad) => {
        this.add(url);
        return nextLoad(url, context);
      },
    });
  }

  /** The files loaded since the last call. */
  takeNew(): string[] {
    return this.fresh.splice(0);
  }

  private add(url: string): void {
    if (!url.startsWith('file:')) return;
    const path = fileURLToPath(url.replace(/[?#].*$/, ''));
    if (path.includes(NODE_MODULES) || path.startsWith(GU_CORE) || this.seen.has(path)) return;
    this.seen.add(path);
    this.fresh.push(path);
  }
}
