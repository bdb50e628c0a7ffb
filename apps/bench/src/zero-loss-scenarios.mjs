// The scenarios of zero-loss.mjs: each starts a server of 2 workers answering with their pid,
// loads it with keep-alive and fresh-connection clients (@gu/testkit's startLoad), disturbs it while
// the load runs (recycling, signals, pm2 reload), and stops every process it started by PID.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { guBin, startGu, startLoad, stopAllGu } from '@gu/testkit';

const srcDir = dirname(fileURLToPath(import.meta.url));
const benchDir = join(srcDir, '..');
const guDistDir = join(guBin, '../..');
const pidApp = 'src/pid-app.mjs';
const workers = 2;
/** SIGTERM, then SIGKILL after this long. */
const termGraceMs = 5000;
/** However fast the server, no scenario sends more. */
const loadRequestCap = 1_000_000;

const booting = /Booting worker with pid: (\d+)/;

/**
 * What a scenario does while the load runs: `at` ms after the load started, `signal` goes to the
 * arbiter, or to one of its workers (`toWorker`), or a pm2 command runs (`pm2`).
 * @typedef {{ at: number, signal?: NodeJS.Signals, toWorker?: boolean, pm2?: string[] }} Action
 */

/** `count` actions spaced ~1 s apart (closer when the load is short), none at its very end. */
function spaced(count, durationMs, action) {
  const gap = Math.min(1000, durationMs / (count + 1));
  return Array.from({ length: count }, (_, i) => ({ ...action, at: Math.round(gap * (i + 1)) }));
}

/** The gu scenarios, in the order they run. */
export function guScenarios(options) {
  const ms = options.duration * 1000;
  return [
    {
      name: 'recycle',
      args: ['--max-requests', String(options.maxRequests)],
      describe: `gu -w ${workers} --max-requests ${options.maxRequests}`,
      actions: [],
    },
    { name: 'hup', args: [], describe: `gu -w ${workers}, 5 x HUP to the arbiter`, actions: spaced(5, ms, { signal: 'SIGHUP' }) },
    {
      name: 'ttin-ttou',
      args: [],
      describe: `gu -w ${workers}, TTIN then TTOU to the arbiter`,
      actions: [
        { at: Math.round(ms / 3), signal: 'SIGTTIN' },
        { at: Math.round((2 * ms) / 3), signal: 'SIGTTOU' },
      ],
    },
    {
      name: 'term-worker',
      args: [],
      describe: `gu -w ${workers}, TERM to one worker`,
      actions: [{ at: Math.round(ms / 2), signal: 'SIGTERM', toWorker: true }],
    },
  ];
}

export const scenarioNames = ['recycle', 'hup', 'ttin-ttou', 'term-worker', 'pm2'];

function loadOptions(url, options) {
  return {
    url,
    keepAliveClients: options.keepAliveClients,
    freshClients: options.freshClients,
    maxRequests: loadRequestCap,
    maxDurationMs: options.duration * 1000,
    path: options.delay > 0 ? `/?delay=${options.delay}` : '/',
  };
}

/** The row of the final table: the load's report plus what the server went through. */
function row(name, describe, report, extra) {
  return {
    scenario: name,
    command: describe,
    sent: report.sent,
    ok: report.ok,
    failed: report.failed,
    keepAlive: report.byKind.keepAlive,
    fresh: report.byKind.fresh,
    failures: report.failures,
    answeringPids: report.bodies.size,
    durationMs: Math.round(report.durationMs),
    ...extra,
  };
}

/**
 * Runs `actions` against the load's clock until they are done or `signal` aborts; resolves with
 * a log of what was done.
 */
async function runActions(actions, perform, abort) {
  const started = Date.now();
  const done = [];
  for (const action of actions) {
    const wait = action.at - (Date.now() - started);
    if (wait > 0) await sleep(wait, undefined, { signal: abort }).catch(() => undefined);
    if (abort.aborted) break;
    done.push(await perform(action));
  }
  return done;
}

/**
 * True when `pid` runs and its command line contains one of `markers`: a pid that was reused by
 * some other process since is left alone. Without /proc, any running pid counts.
 */
function runsAs(pid, markers) {
  if (existsSync('/proc/self/cmdline')) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      return markers.some((marker) => cmdline.includes(marker));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A worker of gu: titled `gu: worker […]`, or still the node command that runs core's dist. */
const isGuProcess = (pid) => runsAs(pid, ['gu: ', guDistDir]);

function killPid(pid, signal) {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/** SIGTERM to the arbiter, SIGKILL after 5 s; then SIGKILL to any of its workers left behind. */
export async function stopGu(gu) {
  gu.signal('SIGTERM');
  let timer;
  const gaveUp = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), termGraceMs);
  });
  const outcome = await Promise.race([gu.exited, gaveUp]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    gu.signal('SIGKILL');
    await gu.exited;
  }
  const leftovers = gu.workerPids.filter(isGuProcess);
  for (const pid of leftovers) killPid(pid, 'SIGKILL');
  return { exit: await gu.exited, killed: outcome === 'timeout', leftovers };
}

/** SIGKILL by PID to every gu and worker still running: the way out on errors and Ctrl-C. */
export const killAllGu = stopAllGu;

/** Lines of gu's output that tell what the server went through; counted over the load only. */
const guEvents = {
  booted: booting,
  maxRequestsReached: /Autorestarting worker/,
  hupHandled: /Handling signal: hup/,
  hupUnsupported: /HUP \(reload\) is not supported/,
  workerErrors: /Worker \(pid:\d+\) (was sent|exited with code)/,
};

function countEvents(gu) {
  return Object.fromEntries(Object.entries(guEvents).map(([name, pattern]) => [name, gu.matches(pattern).length]));
}

/** Runs one gu scenario to its end and stops gu; resolves with its row. */
export async function runGuScenario(scenario, options, abort, say) {
  say(`${scenario.name}: ${scenario.describe}; ${describeLoad(options)}`);
  const gu = await startGu([pidApp, '-w', String(workers), '-b', '127.0.0.1:0', ...scenario.args], { cwd: benchDir, workers });
  try {
    const before = countEvents(gu);
    const load = startLoad(loadOptions(`${gu.url}/`, options));
    const stopLoad = () => void load.stop();
    abort.addEventListener('abort', stopLoad, { once: true });
    const perform = (action) => {
      if (!action.toWorker) {
        gu.signal(action.signal);
        return `${action.signal} to the arbiter`;
      }
      const target = gu.workerPids.find(isGuProcess);
      if (target !== undefined) killPid(target, action.signal);
      return `${action.signal} to worker ${target ?? '(none running)'}`;
    };
    // If gu dies meanwhile, the load goes on against a closed port: that is a finding, not an error.
    const [report, actions] = await Promise.all([load.done, runActions(scenario.actions, perform, abort)]);
    abort.removeEventListener('abort', stopLoad);
    const after = countEvents(gu);
    const events = Object.fromEntries(Object.keys(guEvents).map((name) => [name, after[name] - before[name]]));
    const exitedDuringLoad = gu.child.exitCode ?? gu.child.signalCode ?? undefined;
    const stopped = await stopGu(gu);
    return row(scenario.name, scenario.describe, report, {
      recycles: events.booted,
      actions,
      events,
      notes: guNotes(events, exitedDuringLoad, stopped),
    });
  } catch (error) {
    await stopGu(gu);
    throw error;
  }
}

function guNotes(events, exitedDuringLoad, stopped) {
  const notes = [];
  if (events.maxRequestsReached > 0) notes.push(`${events.maxRequestsReached} max-requests restarts`);
  if (events.hupUnsupported > 0) notes.push(`HUP not supported yet (${events.hupUnsupported}x)`);
  if (events.workerErrors > 0) notes.push(`${events.workerErrors} worker exit(s) logged as errors`);
  if (exitedDuringLoad !== undefined) notes.push(`gu exited during the load (${exitedDuringLoad})`);
  if (stopped.killed) notes.push('gu needed SIGKILL to stop');
  if (stopped.leftovers.length > 0) notes.push(`${stopped.leftovers.length} worker(s) left behind, killed`);
  return notes;
}

export function describeLoad(options) {
  const delay = options.delay > 0 ? `, ?delay=${options.delay}` : '';
  return `${options.keepAliveClients} keep-alive + ${options.freshClients} fresh clients for ${options.duration} s${delay}`;
}

/** The pm2 binary on PATH, or undefined: it is never installed by this script. */
export function findPm2() {
  return findOnPath('pm2');
}

/** The executable `name` on PATH, or undefined. */
export function findOnPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Runs `pm2 args…` with its own PM2_HOME; resolves with its exit code (never rejects). */
function pm2(bin, args, env) {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, ...env }, timeout: 30_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (error.code ?? 1) : 0, stderr });
    });
  });
}

/** "PID PORT" lines the pm2 instances wrote so far. */
function readPidFile(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ').map(Number));
}

/**
 * `pm2 start pid-server.cjs -i 2` and 5 x `pm2 reload` under the same load, in a PM2_HOME of its
 * own (a daemon of its own, which `pm2 kill` and then SIGKILL by PID end; any pm2 the user runs is
 * left alone).
 */
export async function runPm2Scenario(bin, options, abort, say) {
  const describe = `pm2 start -i ${workers}, 5 x pm2 reload`;
  say(`pm2: ${describe}; ${describeLoad(options)}`);
  const home = mkdtempSync(join(tmpdir(), 'gu-zero-loss-pm2-'));
  const pidFile = join(home, 'instances.txt');
  const env = { PM2_HOME: home, ZERO_LOSS_PID_FILE: pidFile };
  const name = `gu-zero-loss-${process.pid}`;
  try {
    const start = await pm2(bin, ['start', join(srcDir, 'pid-server.cjs'), '-i', String(workers), '--name', name], env);
    if (start.code !== 0) throw new Error(`pm2 start failed (${start.code}): ${start.stderr.trim()}`);
    const deadline = Date.now() + 20_000;
    while (readPidFile(pidFile).length < workers && Date.now() < deadline && !abort.aborted) await sleep(100);
    const instances = readPidFile(pidFile);
    if (instances.length < workers) throw new Error(`pm2: ${instances.length} of ${workers} instances listening after 20 s`);
    const port = instances[0][1];
    const load = startLoad(loadOptions(`http://127.0.0.1:${port}/`, options));
    const stopLoad = () => void load.stop();
    abort.addEventListener('abort', stopLoad, { once: true });
    const perform = async (action) => {
      const result = await pm2(bin, action.pm2, env);
      return `pm2 ${action.pm2.join(' ')}: exit ${result.code}`;
    };
    const actions = spaced(5, options.duration * 1000, { pm2: ['reload', name] });
    const [report, done] = await Promise.all([load.done, runActions(actions, perform, abort)]);
    abort.removeEventListener('abort', stopLoad);
    const reloads = done.filter((line) => line.endsWith('exit 0')).length;
    return row('pm2', describe, report, {
      recycles: readPidFile(pidFile).length - instances.length,
      actions: done,
      events: { reloads },
      notes: [`${reloads} of ${done.length} reloads succeeded`],
    });
  } finally {
    await pm2(bin, ['kill'], env);
    const daemon = Number(existsSync(join(home, 'pm2.pid')) ? readFileSync(join(home, 'pm2.pid'), 'utf8') : NaN);
    // The daemon's title names its PM2_HOME; an instance runs pid-server.cjs under the app's name.
    for (const pid of [daemon, ...readPidFile(pidFile).map(([pid]) => pid)]) {
      if (Number.isInteger(pid) && pid > 0 && runsAs(pid, [home, name, 'pid-server.cjs'])) killPid(pid, 'SIGKILL');
    }
    rmSync(home, { recursive: true, force: true });
  }
}
