// The two servers compared: what each is started with and how its output says it is ready.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnChildServer } from './child-server.mjs';
import { pinnedCommand } from './cpu-pinning.mjs';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const listeningAt = /Listening at: (http:\/\/\S+)/;
const workerReady = /Worker \(pid:(\d+)\) ready/;

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

/** Ready once the arbiter printed its address and each of the `workers` reported ready. */
function guWatcher(workers) {
  return {
    url: undefined,
    ready: false,
    extraPids: [],
    onLine(line) {
      const address = listeningAt.exec(line);
      if (address) this.url ??= address[1];
      const worker = workerReady.exec(line);
      if (worker) this.extraPids.push(Number(worker[1]));
      this.ready = this.url !== undefined && this.extraPids.length >= workers;
    },
  };
}

/** Spawns the baseline (on `cpus` when given); await `untilReady()` on the result. */
export function spawnBare(label, cpus) {
  return spawnChildServer({
    label,
    ...pinnedCommand(cpus, process.execPath, ['src/bare-server.mjs']),
    cwd: benchDir,
    watcher: bareWatcher(),
  });
}

/**
 * Spawns gu with `-w workers` and its default worker class (on `cpus` when given: the workers
 * inherit the arbiter's CPUs); await `untilReady()` on the result.
 */
export function spawnGu(workers, cpus) {
  const args = [guBinPath(), 'src/hello.mjs', '-w', String(workers), '-b', '127.0.0.1:0', '--log-level', 'debug'];
  return spawnChildServer({
    label: `gu -w ${workers}`,
    ...pinnedCommand(cpus, process.execPath, args),
    cwd: benchDir,
    watcher: guWatcher(workers),
  });
}

/** Spawns gu with the given app and flags (`-w workers` among them) and a label; await `untilReady()`. */
export function spawnGuWith(label, app, flags, workers) {
  const args = [guBinPath(), app, ...flags, '-b', '127.0.0.1:0', '--log-level', 'debug'];
  return spawnChildServer({ label, command: process.execPath, args, cwd: benchDir, watcher: guWatcher(workers) });
}
