// One load run on one server under test, with the CPU figures that make it readable on a shared
// machine: the server's share of one CPU (near 100 %: it was the bottleneck, as it should be), its
// CPU time per request, and the share of one CPU that other processes took meanwhile.
import { cpuSeconds, machineBusySeconds, ownCpuSeconds } from './cpu-time.mjs';
import { measureFresh } from './fresh-load.mjs';
import { measure } from './load.mjs';

/** CPU seconds so far: of the server, of this harness (the load generator), of the whole machine. */
function cpuSnapshot(server) {
  return { server: cpuSeconds(server.pids), own: ownCpuSeconds(), machine: machineBusySeconds() };
}

/** Fails the run if the server died: its figures would be about the crash, not about speed. */
function assertRunning(server) {
  if (server.exitStatus !== undefined) {
    throw new Error(`${server.label} exited (${server.exitStatus}) during the run${server.describeTail()}`);
  }
}

/**
 * Loads `server` for `seconds` with `connections` connections and resolves with the figures of
 * load.mjs plus cpuPercent, cpuMicrosPerRequest and otherCpuPercent (NaN where /proc is missing).
 * `fresh`: each request on a new connection (fresh-load.mjs) instead of autocannon's keep-alive ones.
 * Rejects if the server exited meanwhile, or if `signal` aborted the run.
 */
export async function loadServer(server, { seconds, connections, signal, fresh = false }) {
  const before = cpuSnapshot(server);
  const result = await (fresh ? measureFresh : measure)(server.url, { seconds, connections, signal });
  const after = cpuSnapshot(server);
  if (signal.aborted) throw new Error('interrupted');
  assertRunning(server);
  const used = (key) => after[key] - before[key];
  const others = used('machine') - used('server') - used('own');
  return {
    ...result,
    cpuPercent: (100 * used('server')) / result.seconds,
    cpuMicrosPerRequest: (1e6 * used('server')) / result.requests,
    otherCpuPercent: Math.max(0, (100 * others) / result.seconds),
  };
}
