import type { SettingSpecs } from './registry.js';
import { prefixText, statsdHost, statsdNamespace, tagList } from './metrics-value-kinds.js';

/** StatsD, as Gunicorn's `gunicorn.instrument.statsd` emits it; declared here to keep registry.ts readable. */
export const statsdSettings: SettingSpecs<'statsdHost' | 'statsdPrefix' | 'dogstatsdTags' | 'statsdNamespace'> = {
  statsdHost: {
    name: 'statsd_host',
    section: 'Logging',
    flags: ['--statsd-host'],
    kind: statsdHost,
    default: null,
    doc: "The StatsD server to send metrics to, as `HOST:PORT` over UDP (Gunicorn's setting; gu has no unix-socket form). Each worker sends its own requests, the arbiter the worker count, all as Gunicorn names them: `gunicorn.requests` (a counter per request), `gunicorn.request.duration` (a timer, milliseconds), `gunicorn.request.status.<code>` (a counter per status), `gunicorn.workers` (a gauge, each turn of the arbiter's loop), and `gunicorn.log.critical`, `.error`, `.warning` and `.exception` (a counter per error-log record of that level). UDP: a StatsD server that is down or slow costs gu nothing. Not set: no metrics are sent.",
  },
  statsdPrefix: {
    name: 'statsd_prefix',
    section: 'Logging',
    flags: ['--statsd-prefix'],
    kind: prefixText,
    default: '',
    doc: 'A prefix for every StatsD metric name, followed by a dot when it does not end with one (`--statsd-prefix app` sends `app.gunicorn.requests`).',
  },
  dogstatsdTags: {
    name: 'dogstatsd_tags',
    section: 'Logging',
    flags: ['--dogstatsd-tags'],
    kind: tagList,
    default: [],
    doc: 'Tags added to every StatsD metric in the DogStatsD form (`|#env:prod,team:web`), comma-separated `key:value` items as Gunicorn takes them.',
  },
  statsdNamespace: {
    name: 'statsd_namespace',
    section: 'Logging',
    flags: ['--statsd-namespace'],
    kind: statsdNamespace,
    default: 'gunicorn',
    doc: "The first part of every StatsD metric name: `gunicorn` (the default: dashboards made for Gunicorn work unchanged) or `gu` (`gu.requests`, `gu.request.duration`, …). gu's own; Gunicorn always uses `gunicorn`.",
  },
};
