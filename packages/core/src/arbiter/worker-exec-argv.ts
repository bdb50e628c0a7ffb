/**
 * Node options every worker is forked with. `--disable-sigusr1` (Node ≥ 22.14) keeps SIGUSR1 from
 * ever opening the inspector on port 9229: a worker that received it before its own listener is
 * installed would otherwise expose a debugger. With it Node ignores SIGUSR1 altogether, so the
 * arbiter passes USR1 (reopen the logs) to workers over IPC. The arbiter's own execArgv is passed
 * on (e.g. `--enable-source-maps`), as fork() does by default.
 */
export function workerExecArgv(): string[] {
  const disable = '--disable-sigusr1';
  const argv = process.execArgv;
  return process.allowedNodeEnvironmentFlags.has(disable) && !argv.includes(disable) ? [...argv, disable] : [...argv];
}
