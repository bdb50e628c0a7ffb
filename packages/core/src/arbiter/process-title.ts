import type { Settings } from '../settings/types.js';

/** `gu: arbiter [app.js:app]`, `gu: worker [myapp]`: what `ps` shows, as Gunicorn's setproctitle. */
export function processTitle(role: 'arbiter' | 'worker', settings: Pick<Settings, 'procName' | 'app'>): string {
  return `gu: ${role} [${settings.procName ?? settings.app ?? 'gu'}]`;
}

export function setProcessTitle(role: 'arbiter' | 'worker', settings: Pick<Settings, 'procName' | 'app'>): void {
  process.title = processTitle(role, settings);
}
