import { Pidfile } from '../arbiter/pidfile.js';
import type { SettingOrigins } from '../settings/layer.js';
import type { Settings } from '../settings/types.js';
import { assertWritable } from '../settings/writable-paths.js';

/** `-`: the standard stream, always writable. */
const STDIO = '-';

/**
 * The files gu will write, checked before anything is bound or forked: a log a worker cannot open
 * would otherwise fail every worker the arbiter forks, and a pidfile only after the sockets are
 * bound. Throws the one-line error (exit 2, or 1 for a pidfile naming a gu that still runs).
 */
export function checkWritablePaths(settings: Settings, origins: SettingOrigins): void {
  for (const key of ['errorlog', 'accesslog'] as const) {
    const path = settings[key];
    if (path !== null && path !== STDIO) assertWritable(key, path, origins[key]);
  }
  if (settings.pidfile !== null) new Pidfile(settings.pidfile, origins.pidfile).check(process.pid);
}
