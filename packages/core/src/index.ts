/**
 * Public API of @gu/core: what worker classes, config files and embedders may use.
 * Everything not exported here is internal. One more entry point, `@gu/core/app-loader`
 * (src/app/public-loader.ts), loads the app where no WorkerContext exists (a worker thread).
 */
export type { WorkerClass, WorkerContext, WorkerClassModule, StopCause, StopMode } from './worker/worker-class.js';
export { isWorkerClass } from './worker/worker-class.js';
export type { WorkerListener } from './worker/listener-source.js';
export type { HttpFront, HttpFrontOptions } from './http/http-front.js';
export type { UpgradeHandler } from './http/upgrade-path.js';
export type { AdaptedApp, RequestListener } from './app/types.js';
export type { Logger } from './logging/logger.js';
export type { LogLevel } from './logging/levels.js';
export type { Settings, UserConfig } from './settings/types.js';
export type { ServerHooks, ArbiterInfo, WorkerInfo, HookName } from './hooks/server-hooks.js';
export { defineConfig } from './settings/types.js';
export {
  ExitCode,
  errorTable,
  GuError,
  InvalidSettingError,
  UnknownOptionError,
  ConfigFileError,
  WorkerClassError,
  WorkerBootError,
  AppLoadError,
  guErrorCodeOf,
  BindError,
  type GuErrorCode,
} from './errors.js';
