// The two servers compared: what each is started with and how its output says it is ready.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChildServer } from './child-server.mjs';
import { pinnedCommand } from './cpu-pinning.mjs';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const listeningAt = /Listening at: (http:\/\/\S+)/;
const workerReady = /Worker \(pid:(\d+)\) ready/;
/** Gunicorn's own line per worker it boots. */
const gunicornBooted = /Booting worker with pid: (\d+)/;

/** gu's CLI, found through @gu/core's own manifest (its `bin.gu`), as npm would link it. */
function guBinPath() {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@gu/core/package.json');
  return join(dirname(manifestPath), require(manifestPath).bin.gu);
}

/** Ready once it prints its address: node:http accepts from the moment it listens. */
function bareWatcher() {
  return {
    url: undefined,
    ready: false,
    onLine(line) {
      const match = listeningAt.exec(line);
      if (match) [this.url, this.ready] = [match[1], true];
    },
  };
}

/**
 * Ready once the server printed its address and `workers` lines matching `workerLine` (whose first
 * group is the worker's pid): gu's and node:cluster's `Worker (pid:N) ready`, by default.
 */
function workersWatcher(workers, workerLine = workerReady) {
  return {
    url: undefined,
    ready: false,
    extraPids: [],
    onLine(line) {
      const address = listeningAt.exec(line);
      if (address) this.url ??= address[1];
      const worker = workerLine.exec(line);
      if (worker) this.extraPids.push(Number(worker[1]));
      this.ready = this.url !== undefined && this.extraPids.length >= workers;
    },
  };
}

/** Spawns the baseline (`script`, on `cpus` when given); await `untilReady()` on the result. */
export function spawnBare(label, cpus, script = 'src/bare-server.mjs') {
  return spawnChildServer({
    label,
    ...pinnedCommand(cpus, process.execPath, [script]),
    cwd: benchDir,
    watcher: bareWatcher(),
  });
}

/** Gunicorn's sync worker (`gunicorn` on PATH, e.g. Debian's) with `workers` workers on src/hello_wsgi.py. */
export function spawnGunicorn(label, workers, cpus) {
  const args = ['-k', 'sync', '-w', String(workers), '-b', '127.0.0.1:0', '--chdir', 'src', 'hello_wsgi:app'];
  return spawnChildServer({ label, ...pinnedCommand(cpus, 'gunicorn', args), cwd: benchDir, watcher: workersWatcher(workers, gunicornBooted) });
}

/**
 * node:cluster with `workers` processes on one shared socket (src/bare-cluster.mjs): `Connection:
 * close` on every response, unless `keepAlive`.
 */
export function spawnBareCluster(label, workers, cpus, { keepAlive = false } = {}) {
  const command = pinnedCommand(cpus, process.execPath, ['src/bare-cluster.mjs']);
  return spawnChildServer({
    label,
    ...command,
    cwd: benchDir,
    env: { ...process.env, BENCH_CLUSTER_WORKERS: String(workers), BENCH_CLUSTER_KEEPALIVE: keepAlive ? '1' : '0' },
    watcher: workersWatcher(workers),
  });
}

/**
 * PM2 in the foreground (`pm2-runtime`, as in a container) with `instances` cluster instances of
 * src/hello-server.cjs, in a PM2_HOME of its own; `bin` is the pm2-runtime found on PATH.
 */
export function spawnPm2Runtime(label, bin, instances, home) {
  return spawnChildServer({
    label,
    command: bin,
    args: ['start', 'src/hello-server.cjs', '-i', String(instances)],
    cwd: benchDir,
    env: { ...process.env, PM2_HOME: home },
    watcher: workersWatcher(instances),
  });
}

/**
 * Spawns gu with `-w workers` (on `cpus` when given: the workers inherit the arbiter's CPUs); await
 * `untilReady()` on the result. `app` and `workerClass` (`-k`) default to src/hello.mjs and gu's
 * default; `flags` are more of gu's flags.
 */
export function spawnGu(workers, cpus, { app = 'src/hello.mjs', workerClass, label = `gu -w ${workers}`, flags = [] } = {}) {
  const k = workerClass === undefined ? [] : ['-k', workerClass];
  const args = [guBinPath(), app, ...k, '-w', String(workers), '-b', '127.0.0.1:0', '--log-level', 'debug', ...flags];
  return spawnChildServer({
    label,
    ...pinnedCommand(cpus, process.execPath, args),
    cwd: benchDir,
    watcher: workersWatcher(workers),
  });
}

/** Spawns gu with the given app and flags (`-w workers` among them) and a label; await `untilReady()`. */
export function spawnGuWith(label, app, flags, workers) {
  const args = [guBinPath(), app, ...flags, '-b', '127.0.0.1:0', '--log-level', 'debug'];
  return spawnChildServer({ label, command: process.execPath, args, cwd: benchDir, watcher: workersWatcher(workers) });
}
