import type { Hooks } from '../hooks/server-hooks.js';
import type { LogLevel } from '../logging/levels.js';
import type { LogFormat } from '../logging/log-format.js';
import type { StatsdNamespace } from './metrics-value-kinds.js';
import type { CertReqs, TlsVersion } from './tls-kinds.js';
import type { ProxyProtocolMode } from './http-value-kinds.js';

/**
 * The resolved settings of one gu run: every field is filled (defaults, environment, config file,
 * GU_CMD_ARGS and command line merged, then validated). Names are Gunicorn's in camelCase; the
 * registry in `registry.ts` is the one place each is declared. Values are plain data so the
 * arbiter can hand them to workers over IPC.
 */
export interface Settings {
  /** The application, `module[:export]` or `module:factory(args)`; null only for commands that need none. */
  app: string | null;
  // Config file
  config: string | null;
  checkConfig: boolean;
  printConfig: boolean;
  // Server socket
  bind: string[];
  backlog: number;
  // Worker processes
  workers: number;
  workerClass: string;
  workerConnections: number;
  threads: number;
  threadConcurrency: number;
  threadQueue: number;
  websocketPingInterval: number;
  maxRequests: number;
  maxRequestsJitter: number;
  timeout: number;
  dumpStackOnTimeout: boolean;
  bootTimeout: number;
  gracefulTimeout: number;
  maxWorkerMemory: number;
  keepalive: number;
  // Security
  limitRequestLine: number;
  limitRequestFields: number;
  limitRequestFieldSize: number;
  limitRequestBody: number;
  clientHeaderTimeout: number;
  clientBodyTimeout: number;
  // Debugging
  reload: boolean;
  reloadExtraFiles: string[];
  // Server mechanics
  preloadApp: boolean;
  chdir: string;
  rawEnv: string[];
  workerTmpDir: string | null;
  daemon: boolean;
  pidfile: string | null;
  /** Resolved to ids when the settings are read: workers need no lookup after dropping root. */
  user: number | null;
  group: number | null;
  initgroups: boolean;
  umask: number | null;
  // SSL
  certfile: string | null;
  keyfile: string | null;
  caCerts: string | null;
  certReqs: CertReqs;
  ciphers: string | null;
  tlsMinVersion: TlsVersion;
  forwardedAllowIps: string[];
  secureSchemeHeaders: Record<string, string>;
  proxyProtocol: ProxyProtocolMode;
  proxyAllowIps: string[];
  // Logging
  accesslog: string | null;
  accessLogFormat: string;
  errorlog: string;
  loglevel: LogLevel;
  logFormat: LogFormat;
  statsdHost: string | null;
  statsdPrefix: string;
  dogstatsdTags: string[];
  statsdNamespace: StatsdNamespace;
  // Process naming
  procName: string | null;
  // Control
  controlSocket: string | null;
  healthBind: string | null;
  metricsBind: string | null;
}

/** What a config file's `defineConfig({...})` may hold: any subset of the settings, and server hooks. */
export type UserConfig = Partial<
  Omit<Settings, 'config' | 'checkConfig' | 'printConfig' | 'user' | 'group'> & {
    /** A name, or a numeric id: resolved to the id when the settings are read. */
    user: string | number | null;
    group: string | number | null;
  }
> &
  Hooks;

/** Typed identity helper for `gu.config.{ts,mjs,js}`: `export default defineConfig({ workers: 4 })`. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
