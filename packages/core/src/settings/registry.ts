import type { Settings } from './types.js';
import {
  appModule,
  bindList,
  directory,
  groupAccount,
  envAssignments,
  integerOrZero,
  optionalDirectory,
  optionalFile,
  optionalText,
  patternList,
  optionalUmask,
  positiveInteger,
  switchFlag,
  text,
  userAccount,
  type CoerceContext,
  type ValueKind,
} from './value-kinds.js';
import { sslSettings } from './registry-ssl.js';
import { clientTimeoutSettings, proxySettings, requestLimitSettings } from './registry-http.js';
import { threadSettings } from './registry-threads.js';
import { websocketSettings } from './registry-websocket.js';
import { loggingSettings } from './registry-logging.js';
import { controlSettings } from './registry-control.js';

export type SettingKey = keyof Settings;

/** Gunicorn's section names; `--help` and the reference group settings by them, in this order. */
export const sections = [
  'Config File',
  'Server Socket',
  'Worker Processes',
  'Server Mechanics',
  'SSL',
  'Security',
  'Logging',
  'Process Naming',
  'Control',
  'Debugging',
] as const;
export type Section = (typeof sections)[number];

/** An environment variable that feeds a setting, and how its text becomes a raw value. */
export interface EnvironmentSource {
  readonly variable: string;
  readonly toRaw?: (text: string) => unknown;
}

/** One setting, declared once: everything the parser, help, config file, docs and print need. */
export interface SettingSpec<T> {
  /** Gunicorn's name (`graceful_timeout`): used in messages, `--print-config` and the docs. */
  readonly name: string;
  readonly section: Section;
  /** Short flag first when there is one (`-w`, `--workers`); the first long flag is the main one. */
  readonly flags: readonly string[];
  /** Overrides the kind's metavar in `--help` (Gunicorn's `meta`). */
  readonly metavar?: string;
  readonly env?: EnvironmentSource;
  readonly kind: ValueKind<T>;
  readonly default: T | ((context: CoerceContext) => T);
  /** How docs and help show a default that depends on the run (cwd, PORT). */
  readonly defaultDoc?: string;
  /** False for settings that only make sense on the command line (`--config`, `--print-config`). */
  readonly inConfigFile?: boolean;
  /** One paragraph; its first sentence is the `--help` line. */
  readonly doc: string;
}

/** The specs of the settings `K`, by key: what each section file (registry-*.ts) declares. */
export type SettingSpecs<K extends keyof Settings> = { readonly [P in K]: SettingSpec<Settings[P]> };

type Registry = SettingSpecs<SettingKey>;

/** Every gu setting, in the order `--help`, `--print-config` and the docs list them. */
export const registry: Registry = {
  app: {
    name: 'app',
    section: 'Config File',
    flags: [],
    kind: appModule,
    default: null,
    doc: 'The application to serve, as `module[:export]`: a file path or package name, then the exported app (`default` when omitted), e.g. `app.js:app`: a `(req, res)` request listener, a Koa app, or, with @gu/adapters installed, an Express, Fastify, NestJS or fetch-style app. Given as the positional argument of `gu` or as `app` in the config file; `module:create()` calls a factory.',
  },
  config: {
    name: 'config',
    section: 'Config File',
    flags: ['-c', '--config'],
    metavar: 'CONFIG',
    kind: optionalFile,
    default: null,
    defaultDoc: './gu.config.ts, ./gu.config.mjs or ./gu.config.js, the first that exists',
    inConfigFile: false,
    doc: "The config file to load. It is a module whose default export (or `module.exports`) is a plain object of settings with camelCase keys, best written with `defineConfig` from `@gu/core`. Without `-c`, gu loads the first of `gu.config.ts`, `gu.config.mjs` and `gu.config.js` found in the current directory (Gunicorn's is `gunicorn.conf.py`). TypeScript files run through Node's type stripping, on Node ≥ 22.18 (an older Node gets one line saying so, exit 2).",
  },
  bind: {
    name: 'bind',
    section: 'Server Socket',
    flags: ['-b', '--bind'],
    env: { variable: 'PORT', toRaw: (port) => [`0.0.0.0:${port}`] },
    kind: bindList,
    default: ['127.0.0.1:8000'],
    defaultDoc: '127.0.0.1:8000, or 0.0.0.0:$PORT when PORT is set',
    doc: 'The socket to bind: `HOST`, `HOST:PORT`, `[IPV6]:PORT`, `unix:PATH` or `fd://FD`. Repeat the flag (or give a list in the config file) to bind several addresses, e.g. `-b 127.0.0.1:8000 -b [::1]:8000`. A list from a higher layer replaces the lower one instead of adding to it. If the `PORT` environment variable is set, the default is `0.0.0.0:$PORT`.',
  },
  backlog: {
    name: 'backlog',
    section: 'Server Socket',
    flags: ['--backlog'],
    kind: positiveInteger,
    default: 2048,
    doc: 'The maximum number of pending connections. This is how many clients can wait to be served; beyond it, clients get an error when connecting. It only matters for servers under significant load; generally set in the 64-2048 range.',
  },
  workers: {
    name: 'workers',
    section: 'Worker Processes',
    flags: ['-w', '--workers'],
    env: { variable: 'WEB_CONCURRENCY' },
    kind: positiveInteger,
    default: 1,
    doc: "The number of worker processes handling requests. Generally 2-4 x the number of cores; vary it to fit the application's workload. The default comes from the `WEB_CONCURRENCY` environment variable (set by platforms such as Heroku) when it is set, else 1.",
  },
  workerClass: {
    name: 'worker_class',
    section: 'Worker Processes',
    flags: ['-k', '--worker-class'],
    metavar: 'STRING',
    kind: text,
    default: 'async',
    doc: "The type of workers to use. An alias (`async`, `sync`, `threads`, `asgi` for the `@gu/worker-*` packages and `@gu/asgi-bridge`), a package name or a path to a module whose default export is a WorkerClass, resolved from the project. Unlike Gunicorn, whose default is `sync`, the default is `async`, the Node-native event-loop worker.",
  },
  workerConnections: {
    name: 'worker_connections',
    section: 'Worker Processes',
    flags: ['--worker-connections'],
    kind: positiveInteger,
    default: 1000,
    doc: 'The maximum number of simultaneous clients per worker. It affects the worker classes that serve several connections at once (`async`, `threads`, `asgi`).',
  },
  ...threadSettings,
  ...websocketSettings,
  maxRequests: {
    name: 'max_requests',
    section: 'Worker Processes',
    flags: ['--max-requests'],
    kind: integerOrZero,
    default: 0,
    doc: 'The maximum number of requests a worker serves before it is restarted. A value above zero limits the damage of memory leaks by recycling workers; 0 (the default) disables these restarts.',
  },
  maxRequestsJitter: {
    name: 'max_requests_jitter',
    section: 'Worker Processes',
    flags: ['--max-requests-jitter'],
    kind: integerOrZero,
    default: 0,
    doc: 'The maximum jitter to add to `max_requests`. Each worker restarts after `max_requests` plus a random number of requests between 0 and this value, so that workers do not all restart at the same time.',
  },
  timeout: {
    name: 'timeout',
    section: 'Worker Processes',
    flags: ['-t', '--timeout'],
    kind: integerOrZero,
    default: 30,
    doc: "Workers silent for more than this many seconds are killed and restarted. A worker is silent when its event loop stops sending heartbeats, e.g. while blocked by synchronous code. 0 disables the timeout entirely. Thirty seconds generally suffices; for the non-sync workers it bounds a blocked event loop, not a request's duration.",
  },
  dumpStackOnTimeout: {
    name: 'dump_stack_on_timeout',
    section: 'Worker Processes',
    flags: ['--dump-stack-on-timeout'],
    kind: switchFlag,
    default: false,
    doc: "Log where a hung worker's JavaScript is stuck before it is killed for `timeout`. Each worker then runs a small watchdog thread that shares the heartbeat; when the event loop has been silent for `timeout` minus a head start (a quarter of `timeout`, at most 1 s), the thread pauses the main thread through an in-process inspector session (no port is opened), logs its stack as one critical record (`Worker (pid:N) stuck for S s at:` and `    at function (file:line:column)` lines), and lets it go; the arbiter's `WORKER TIMEOUT` line follows. A loop blocked outside JavaScript (a synchronous system call) is reported without a stack. Off by default because the thread costs memory: about 14 MB of RSS per worker (an idle hello-world worker measured 63 MB without it, 77 MB with it; every Node worker thread costs about that much, and `max_worker_memory` counts it). It costs no measurable throughput: nothing runs on the request path, each heartbeat stores one number in shared memory, and the thread wakes about once per `timeout`. Neither PM2 nor node:cluster can do this.",
  },
  bootTimeout: {
    name: 'boot_timeout',
    section: 'Worker Processes',
    flags: ['--boot-timeout'],
    kind: integerOrZero,
    default: 120,
    doc: "Workers that have not reported ready this many seconds after they were started are killed. Until a worker is ready (its app loaded and its listeners open) `timeout` does not apply to it, so a slow app load (a large bundle, a warm-up query) is not mistaken for a hung worker. A worker killed for it counts as a failed boot: gu stops at start (exit 3), and a reload keeps the old workers. 0 disables it.",
  },
  gracefulTimeout: {
    name: 'graceful_timeout',
    section: 'Worker Processes',
    flags: ['--graceful-timeout'],
    kind: integerOrZero,
    default: 30,
    doc: 'Timeout for graceful worker restarts, in seconds. After a restart or stop signal, workers have this long to finish serving requests; workers still alive after it (counted from the signal) are killed.',
  },
  maxWorkerMemory: {
    name: 'max_worker_memory',
    section: 'Worker Processes',
    flags: ['--max-worker-memory'],
    metavar: 'MB',
    kind: integerOrZero,
    default: 0,
    doc: "Workers whose resident memory (RSS) stays above this many megabytes for three heartbeats in a row are replaced: a new worker is started and the old one stops gracefully once the new one is ready, so no request is lost. Like `max_requests`, it bounds what a leaky app can grow to (PM2's `max_memory_restart`; Gunicorn has no such setting). 0 (the default) disables it.",
  },
  keepalive: {
    name: 'keepalive',
    section: 'Worker Processes',
    flags: ['--keep-alive'],
    kind: integerOrZero,
    default: 2,
    doc: 'The number of seconds to wait for the next request on a Keep-Alive connection. Generally 1-5 seconds for servers facing clients directly, higher behind a load balancer. The `sync` worker closes every connection and ignores this setting. A stopping worker never closes an idle keep-alive connection itself (the client may be reusing it at that moment): it ends at this timeout, which its responses advertise in `Keep-Alive: timeout=N`, so a graceful stop can last that much longer.',
  },
  ...requestLimitSettings,
  ...clientTimeoutSettings,
  preloadApp: {
    name: 'preload_app',
    section: 'Server Mechanics',
    flags: ['--preload'],
    kind: switchFlag,
    default: false,
    doc: "Load the application once before binding and forking the workers, so that a broken app fails once, with one error line and exit 4, instead of in every worker. gu loads it in a short-lived process of its own, with the workers' environment and Node options, and so runs its top-level code and factory once more than without it. Unlike Gunicorn, this shares no memory with the workers (Node has no copy-on-write fork): each worker still imports the app itself, and the gains are failing fast, once, and a module compile cache that the preload writes and every worker reads, so that they compile less (see `worker_tmp_dir`). A reload (HUP) preloads again: an app that no longer loads then fails there, with one error line, and the running workers keep serving.",
  },
  chdir: {
    name: 'chdir',
    section: 'Server Mechanics',
    flags: ['--chdir'],
    kind: directory,
    default: ({ cwd }) => cwd,
    defaultDoc: 'the current directory',
    doc: 'Change to this directory before loading the application. A relative path is resolved against the directory gu was started in.',
  },
  rawEnv: {
    name: 'raw_env',
    section: 'Server Mechanics',
    flags: ['-e', '--env'],
    kind: envAssignments,
    default: [],
    doc: "Set environment variables in the workers' environment, as `KEY=VALUE`: repeat the flag (`-e DB_URL=postgres://db/app -e DEBUG=1`) or give a list in the config file. They apply to the workers and to the `--preload` process, not to gu's own process; the value is everything after the first `=`. A list from a higher layer replaces the lower one. A reload (HUP) applies a changed list to the new workers.",
  },
  workerTmpDir: {
    name: 'worker_tmp_dir',
    section: 'Server Mechanics',
    flags: ['--worker-tmp-dir'],
    kind: optionalDirectory,
    default: null,
    defaultDoc: "the system's temporary directory",
    doc: "A directory for the workers' heartbeat files. Each worker proves it is alive by touching the modification time of a file there (unlinked at once, so nothing is left behind); on a disk-backed directory every beat is a metadata write, so on hosts where the temporary directory is on a slow disk, point this at a memory-backed one such as `/dev/shm`, as Gunicorn advises. With `--preload`, gu also keeps the run's module compile cache here (Node's V8 code cache, written by the preload and read by the workers): a private directory removed when gu exits, written faster on a memory-backed directory; set `NODE_DISABLE_COMPILE_CACHE=1` to do without it, or `NODE_COMPILE_CACHE` to use a directory of your own.",
  },
  daemon: {
    name: 'daemon',
    section: 'Server Mechanics',
    flags: ['-D', '--daemon'],
    kind: switchFlag,
    default: false,
    doc: "Daemonize the gu process. The `gu` command checks the settings, starts the arbiter in the background in a new session (detached from the terminal, standard streams on `/dev/null`) and exits 0 at once; give `--pid` to find the arbiter and `--error-logfile` to keep its log, which otherwise goes nowhere. Errors found after that point (an address already in use) are only in that log. Do not use it under systemd, supervisord, Docker or Kubernetes: they expect the process they started to stay in the foreground and would take its exit for the end of the service.",
  },
  pidfile: {
    name: 'pidfile',
    section: 'Server Mechanics',
    flags: ['-p', '--pid'],
    kind: optionalFile,
    default: null,
    doc: "A file to write the arbiter's process id to. If not set, no PID file is written. A relative path is resolved against the directory gu was started in. It is written atomically (a temporary file in the same directory is renamed over it, so the directory must be writable); a symbolic link at this path, or a pidfile naming a gu that still runs, stops gu before anything is bound. During a USR2 upgrade the old arbiter's file is `<pidfile>.oldbin` and the new one's `<pidfile>.2` until the old one exits.",
  },
  user: {
    name: 'user',
    section: 'Server Mechanics',
    flags: ['-u', '--user'],
    kind: userAccount,
    default: null,
    defaultDoc: 'the user gu runs as',
    doc: "Switch worker processes to run as this user: a name, or a numeric uid. Each worker drops root before it loads the worker class and the app; the arbiter stays root and keeps the listening sockets, so ports below 1024 still work. The heartbeat files and the log files (created if missing) are given to this user and `group`, so that workers can beat and reopen their logs. The app, its `node_modules` and `chdir` must be readable by it. An unknown name stops gu with exit 2 before anything is bound; gu must run as root to switch to another user.",
  },
  group: {
    name: 'group',
    section: 'Server Mechanics',
    flags: ['-g', '--group'],
    kind: groupAccount,
    default: null,
    defaultDoc: "the user's primary group, or gu's own",
    doc: "Switch worker processes to run as this group: a name, or a numeric gid. Unlike Gunicorn, whose workers keep the arbiter's group (root) when only `user` is given, gu then uses the user's primary group. The workers' supplementary groups are cleared to this one group, unless `initgroups` is set.",
  },
  initgroups: {
    name: 'initgroups',
    section: 'Server Mechanics',
    flags: ['--initgroups'],
    kind: switchFlag,
    default: false,
    doc: "Give the workers every group their user is a member of, plus their group (initgroups(3)). Without it, their supplementary groups are only `group`.",
  },
  umask: {
    name: 'umask',
    section: 'Server Mechanics',
    flags: ['-m', '--umask'],
    kind: optionalUmask,
    default: null,
    defaultDoc: 'the umask gu was started with',
    doc: "A bit mask for the file mode of files gu and its workers create: set by the arbiter before it opens its log files and binds (so it applies to unix socket files, e.g. `--umask 007` for a socket the group may use) and inherited by every worker. An integer, written in octal as `0o027` or `\"027\"` as Gunicorn reads it (`0x17` and decimal also work). Applied once at start: a reload does not change it. Unlike Gunicorn, whose default 0 applies to its unix sockets, gu leaves the inherited umask alone unless this is set. The pidfile is always 0644.",
  },
  ...sslSettings,
  ...proxySettings,
  ...loggingSettings,
  procName: {
    name: 'proc_name',
    section: 'Process Naming',
    flags: ['-n', '--name'],
    metavar: 'STRING',
    kind: optionalText,
    default: null,
    doc: 'A base for the process titles shown by `ps` and `top`. Set it to tell several gu instances apart; if not set, the titles start with `gu`.',
  },
  ...controlSettings,
  reload: {
    name: 'reload',
    section: 'Debugging',
    flags: ['--reload'],
    kind: switchFlag,
    default: false,
    doc: "Restart workers when a source file they loaded changes (ESM, CommonJS and `.ts` files, except under `node_modules`), and when a file matched by `reload_extra_files` changes. The restart is a reload as for HUP: a new generation of workers starts, and the old ones stop only once it is ready, so no request fails; a file that no longer loads (a syntax error) keeps the old workers serving, with one error line. Meant for development. The files a worker loads are known through `module.registerHooks` (Node ≥ 22.15); on an older Node only `reload_extra_files` are watched.",
  },
  reloadExtraFiles: {
    name: 'reload_extra_files',
    section: 'Debugging',
    flags: ['--reload-extra-file'],
    metavar: 'PATTERN',
    kind: patternList,
    default: [],
    doc: 'Extra files to watch with `--reload`: glob patterns (as Gunicorn 26.1 takes them), relative to `chdir`, e.g. `--reload-extra-file "templates/**/*.html"`. Repeat the flag, or give a list in the config file. Files under `node_modules` are watched only when a pattern names them.',
  },
  checkConfig: {
    name: 'check_config',
    section: 'Debugging',
    flags: ['--check-config'],
    kind: switchFlag,
    default: false,
    inConfigFile: false,
    doc: 'Check the configuration and exit. The exit status is 0 if the configuration is correct, and 2 (with the reason on standard error) if it is not.',
  },
  printConfig: {
    name: 'print_config',
    section: 'Debugging',
    flags: ['--print-config'],
    kind: switchFlag,
    default: false,
    inConfigFile: false,
    doc: 'Print the fully resolved settings, one `name = value` line each, and exit. Implies `--check-config`.',
  },
};

/** The keys of the registry in declaration order. */
export const settingKeys = Object.keys(registry) as SettingKey[];

export function specOf<K extends SettingKey>(key: K): SettingSpec<Settings[K]> {
  return registry[key];
}

/** The flag messages name a setting by: the short one if any (`-w`), else the first long one. */
export function mainFlagOf(key: SettingKey): string | undefined {
  return registry[key].flags[0];
}

export function defaultOf<K extends SettingKey>(key: K, context: CoerceContext): Settings[K] {
  const value = specOf(key).default;
  return typeof value === 'function' ? value(context) : value;
}
