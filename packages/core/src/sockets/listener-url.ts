import type { Settings } from '../settings/types.js';

/**
 * How a "Listening at" line shows a listener: `https://` once `certfile` is set, as Gunicorn shows
 * its TLS sockets. The listener's own key keeps `http://`, so a reload that turns TLS on or off
 * keeps the same sockets.
 */
export function listeningAt(display: string, settings: Pick<Settings, 'certfile'>): string {
  return settings.certfile !== null && display.startsWith('http://') ? `https://${display.slice('http://'.length)}` : display;
}
