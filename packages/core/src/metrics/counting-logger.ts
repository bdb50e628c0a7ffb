import type { Logger } from '../logging/logger.js';
import type { StatsdClient } from './statsd-client.js';

/**
 * `log` that also counts its records of level warning and above, as Gunicorn's Statsd logger does:
 * `log.critical`, `log.error`, `log.warning` and `log.exception` (an exception counts once, as
 * `log.exception`, not also as an error).
 */
export function countingLogRecords(log: Logger, statsd: StatsdClient): Logger {
  return {
    ...log,
    critical: (message) => { log.critical(message); statsd.increment('log.critical'); },
    error: (message) => { log.error(message); statsd.increment('log.error'); },
    warning: (message) => { log.warning(message); statsd.increment('log.warning'); },
    exception: (message, error) => { log.exception(message, error); statsd.increment('log.exception'); },
  };
}
