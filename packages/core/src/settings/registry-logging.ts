import type { SettingSpecs } from './registry.js';
import { statsdSettings } from './registry-metrics.js';
import { logFile, logFormat, logLevel, optionalLogFile, text } from './value-kinds.js';

/**
 * Gunicorn's Logging section: the access log and its format, the error log, its level and format,
 * and StatsD; declared here to keep registry.ts readable, which spreads them in place.
 */
export const loggingSettings: SettingSpecs<'accesslog' | 'accessLogFormat' | 'errorlog' | 'loglevel' | 'statsdHost' | 'statsdPrefix' | 'dogstatsdTags' | 'statsdNamespace' | 'logFormat'> = {
  accesslog: {
    name: 'accesslog',
    section: 'Logging',
    flags: ['--access-logfile'],
    kind: optionalLogFile,
    default: null,
    doc: 'The access log file to write to. `-` means standard output; if not set, requests are not logged. Checked before anything is bound: a path gu cannot create or append to stops gu with exit 2.',
  },
  accessLogFormat: {
    name: 'access_log_format',
    section: 'Logging',
    flags: ['--access-logformat', '--access-log-format'],
    metavar: 'STRING',
    kind: text,
    default: '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"',
    doc: "The access log format. It uses Gunicorn's identifiers: `h` remote address, `l` `-`, `u` user name, `t` date, `r` request line, `m` method, `U` path, `q` query string, `H` protocol, `s` status, `B` response length, `b` length or `-`, `f` referrer, `a` user agent, `T`/`M`/`D`/`L` request time in seconds, milliseconds, microseconds and decimal seconds, `p` process id, `{header}i` request header, `{header}o` response header, `{variable}e` environment variable (and `{wsgi.url_scheme}e`, `http` or `https`, as in Gunicorn), each written as `%(name)s`. The word `json` instead of a format writes one JSON object per request, for log shippers: `time` (ISO 8601, UTC), `remote_addr`, `user`, `request`, `method`, `path`, `query`, `protocol`, `status`, `bytes`, `referer`, `user_agent`, `duration_us`, `duration` (seconds), `pid` and `scheme` (the atoms `t h u r m U q H s B f a D L p` and `{wsgi.url_scheme}e`), numbers as numbers and an absent value as null.",
  },
  errorlog: {
    name: 'errorlog',
    section: 'Logging',
    flags: ['--error-logfile', '--log-file'],
    kind: logFile,
    default: '-',
    doc: 'The error log file to write to. `-` (the default) means standard error. Checked before anything is bound: a path gu cannot create or append to stops gu with exit 2.',
  },
  loglevel: {
    name: 'loglevel',
    section: 'Logging',
    flags: ['--log-level'],
    kind: logLevel,
    default: 'info',
    doc: 'The granularity of error log output: `debug`, `info`, `warning`, `error` or `critical`.',
  },
  ...statsdSettings,
  logFormat: {
    name: 'log_format',
    section: 'Logging',
    flags: ['--log-format'],
    kind: logFormat,
    default: 'text',
    doc: "The shape of the error log: `text`, Gunicorn's lines (`[2026-12-02 04:05:06 +0000] [1234] [INFO] message`), or `json`, one object per line for log shippers: `time` (ISO 8601, UTC), `level` (as `--log-level` names it), `pid`, `message`, and for a logged error `exception` (`type`, `message`, `code` when it has one, and `stack`, its stack with its cause as Node prints them). Lines gu writes before its settings are read (a bad setting's one line) stay plain text. For the access log's JSON, see `access_log_format`.",
  },
};
