/**
 * Entry of the short-lived process `--preload` forks: loads the app exactly as a worker does
 * (import, export, factory call), tells the arbiter how it went, and exits. A process of its own
 * rather than an import in the arbiter: Node caches every module it imported, so a second import
 * on HUP would not see the edited files, and the app's timers and connections would live on in the
 * arbiter for nothing (workers share no memory with it).
 */
import { flushCompileCache } from 'node:module';
import { loadApp } from './load-app.js';
import type { PreloadResult } from './preload-app.js';

function report(result: PreloadResult): void {
  // Exit once the message is written: the app may hold the event loop open (timers, pools).
  if (process.send) process.send(result, () => process.exit(0));
  else process.exit(result.ok ? 0 : 1);
}

const [spec = '', chdir = process.cwd()] = process.argv.slice(2);
try {
  await loadApp(spec, chdir);
  // Written before the workers are forked, so that every one of them reads it (see arbiter/compile-cache.ts).
  flushCompileCache();
  report({ ok: true });
} catch (error) {
  report({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
