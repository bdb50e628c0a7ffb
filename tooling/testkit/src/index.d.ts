import type { ChildProcess, StdioOptions } from 'node:child_process';

export declare const guBin: string;

export interface GuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export declare class GuProcess {
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
}

export declare function startGu(args: string[], options?: StartOptions): Promise<GuProcess>;
export declare function runGu(
  args: string[],
  options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
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

/** A fresh temporary directory, removed by `cleanUp()`. */
export declare function tempDir(prefix?: string): string;
/** For afterEach: stops every gu still running (by PID) and removes the temporary directories. */
export declare function cleanUp(): Promise<void>;
