import type { ChildProcess, StdioOptions } from 'node:child_process';

export declare const guBin: string;
/** The argv that runs gu: node and the built binary. */
export declare const guCommand: readonly string[];

export interface GuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export declare class GuProcess {
  /** Follows the output of `child` (a gu, or a launcher that runs one); `startGu` makes one for you. */
  constructor(child: ChildProcess);
  readonly child: ChildProcess;
  readonly pid: number;
  stdout: string;
  stderr: string;
  readonly exited: Promise<GuExit>;
  matches(pattern: RegExp): RegExpMatchArray[];
  waitForLog(pattern: RegExp, count?: number, timeoutMs?: number): Promise<RegExpMatchArray[]>;
  readonly addresses: string[];
  readonly url: string;
  readonly workerPids: number[];
  /** Pids of every arbiter that logged here: this one and those started by USR2. */
  readonly arbiterPids: number[];
  signal(name: NodeJS.Signals): void;
}

export interface StartOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Wait for this many `Worker (pid:N) ready` lines (0: don't wait). Default 1. */
  workers?: number;
  stdio?: StdioOptions;
  /** Shell assignments evaluated right before gu is exec'd in the shell's place, e.g. `LISTEN_PID=$$`. */
  shellEnv?: string;
  /**
   * The argv that runs gu (default `guCommand`), e.g. behind a launcher that execs it in its own
   * place (systemd-socket-activate … node bin.js): the child's pid must stay gu's.
   */
  command?: readonly string[];
}

export declare function startGu(args: string[], options?: StartOptions): Promise<GuProcess>;
export declare function runGu(
  args: string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; command?: readonly string[] },
): Promise<GuExit & { stdout: string; stderr: string; pid: number }>;
export declare function stopAllGu(): Promise<void>;

export interface HttpResult {
  status: number;
  headers: import('node:http').IncomingHttpHeaders;
  body: string;
}
export declare function httpGet(
  target: string | { socketPath: string; path: string },
  options?: { headers?: Record<string, string>; method?: string; timeoutMs?: number },
): Promise<HttpResult>;

export interface LoadOptions {
  /** e.g. `http://127.0.0.1:PORT/`: its host and port are used, its path is not (see `path`). */
  url: string;
  /** Clients that each reuse one keep-alive connection (an Agent with maxSockets 1). Default 4. */
  keepAliveClients?: number;
  /** Clients that open a new connection per request (`agent: false`, `Connection: close`). Default 4. */
  freshClients?: number;
  /** Stop after this many requests in all. Default 100_000. */
  maxRequests?: number;
  /** And at the latest after this long (requests in flight then still finish). Default 30_000. */
  maxDurationMs?: number;
  /** The request path. Default '/'. */
  path?: string;
  /** A request not answered completely this long counts as failed ('timeout'). Default 10_000. */
  requestTimeoutMs?: number;
}

export interface LoadKindReport {
  sent: number;
  failed: number;
}

export interface LoadReport {
  /** Requests started; once the load is done, `sent === ok + failed`. */
  sent: number;
  /** Status below 500 and the whole body read. */
  ok: number;
  failed: number;
  /**
   * Failed requests by cause: `status 5xx`, 'timeout', 'socket hang up' (closed before any answer),
   * 'aborted' (body cut), or the error code (ECONNRESET, ECONNREFUSED, EPIPE…).
   */
  failures: Record<string, number>;
  byKind: { keepAlive: LoadKindReport; fresh: LoadKindReport };
  /** Body of each ok response → how many times it came (the fixture apps answer with their pid). */
  bodies: Map<string, number>;
  durationMs: number;
}

export interface RunningLoad {
  /** Requests started so far. */
  readonly sent: number;
  /** Requests failed so far. */
  readonly failed: number;
  /** Starts no new request, waits for those in flight, and resolves with the report. */
  stop(): Promise<LoadReport>;
  /** Resolves with the report once the load ended (stop(), maxRequests or maxDurationMs). */
  done: Promise<LoadReport>;
}

/**
 * Starts a bounded load on `url` at once: each client sends one request after the other, never
 * retrying, until `stop()`, `maxRequests` or `maxDurationMs`. The keep-alive agents are destroyed
 * at the end, so the load leaves nothing that keeps the process alive.
 */
export declare function startLoad(options: LoadOptions): RunningLoad;

/**
 * Resolves once `load` has sent `count` more requests than now (polled: the load emits no event);
 * fails at once if the load ended first, and after `timeoutMs` (default 15 s).
 */
export declare function moreRequests(load: RunningLoad, count: number, timeoutMs?: number): Promise<void>;

/** A fresh temporary directory, removed by `cleanUp()`. */
export declare function tempDir(prefix?: string): string;
/** For afterEach: stops every gu still running (by PID) and removes the temporary directories. */
export declare function cleanUp(): Promise<void>;

export declare function isRunning(pid: number): boolean;
/** Pids whose parent is `parent`, from /proc (Linux). */
export declare function childPids(parent: number): number[];
/** Resolves once `condition()` holds (checked every 20 ms); rejects with `what` after `timeoutMs` (default 15 s). */
export declare function until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;

/** Has `cleanUp()` run `stop` unless it ran before; returns the stop to call earlier (once at most). */
export declare function stopOnCleanUp(stop: () => Promise<void>): () => Promise<void>;

export interface NginxBuild {
  readonly binary: string;
  /** The `load_module` line the stream module needs, '' when it is built in; null when it is missing. */
  readonly streamModule: string | null;
}
export interface RunningNginx {
  readonly child: ChildProcess;
  readonly ports: Record<string, number>;
  readonly errorLog: () => string;
  /** Stops nginx by its pid; `cleanUp()` does it otherwise. */
  stop(): Promise<void>;
}
/** nginx on this machine (Debian's package, which .ci/run installs) and its stream module, or why there is none. */
export declare function findNginx(): NginxBuild | string;
/** A port that was free a moment ago (nginx cannot listen on port 0 and tell which port it got). */
export declare function freePort(): Promise<number>;
/** The temp paths of nginx's http block, in `dir`, not in /var/lib/nginx. */
export declare function httpTempPaths(dir: string): string;
/**
 * Starts nginx in the foreground with the config `body(ports)` returns after a preamble that keeps
 * every file in `dir`, each of `portNames` given a free port; retries when a port was taken meanwhile.
 */
export declare function startNginx(build: NginxBuild, dir: string, portNames: readonly string[], body: (ports: Record<string, number>) => string, needsStream?: boolean): Promise<RunningNginx>;

export interface FakeSystemd {
  /** Every datagram received, in order. */
  readonly messages: string[];
  /** The first line of each message but STATUS= and WATCHDOG=1 ones: READY=1, RELOADING=1, STOPPING=1… */
  kinds: () => string[];
  close: () => void;
}
/** A unix datagram socket at `address` (a path, or `@name`: abstract) standing in for systemd's NOTIFY_SOCKET. */
export declare function fakeSystemd(address: string): FakeSystemd;

export interface TimedResponse {
  status: number;
  headers: import('node:http').IncomingHttpHeaders;
  rawHeaders: string[];
  trailers: NodeJS.Dict<string>;
  body: Buffer;
  /** When each body chunk arrived, in ms since the request was sent. */
  arrivals: number[];
  /** From sending the request to the end of the response, ms. */
  elapsedMs: number;
}
/** A request with node:http on a fresh connection, recording when each body chunk arrives. */
export declare function timedRequest(
  url: string,
  options?: { method?: string; body?: Uint8Array; headers?: Record<string, string> },
): Promise<TimedResponse>;
