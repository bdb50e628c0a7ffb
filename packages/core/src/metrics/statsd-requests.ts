import type { AccessEntry } from '../logging/access-entry.js';
import type { StatsdClient } from './statsd-client.js';

/**
 * What a worker sends per request, as Gunicorn's Statsd.access: `requests`, `request.duration`
 * (milliseconds) and `request.status.<code>`. It takes the access log's entries, so it sees every
 * request the front serves, upgrades included.
 */
export function statsdRequests(statsd: StatsdClient): { log(entry: AccessEntry): void } {
  return {
    log(entry) {
      statsd.timing('request.duration', entry.durationMicros / 1000);
      statsd.increment('requests');
      statsd.increment(`request.status.${entry.status}`);
    },
  };
}
