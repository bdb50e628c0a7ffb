// A real nginx for integration tests: found on this machine (Debian's package, which .ci/run installs
// when missing), started in the foreground by the test with a config written to a temporary folder,
// and stopped by its pid (by `stop()`, or else by the testkit's cleanUp()).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { stopOnCleanUp } from './other-servers.js';

const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'];

/**
 * nginx on this machine and how to get its stream module, or why there is none.
 * @returns {import('./index.js').NginxBuild | string}
 */
export function findNginx() {
  const binary = CANDIDATES.find((path) => existsSync(path));
  if (!binary) return `nginx is not installed (looked for ${CANDIDATES.join(', ')}); .ci/run installs Debian's nginx and libnginx-mod-stream with apt-get, which could not be done here`;
  // nginx prints its version and configure arguments on stderr.
  const { stdout, stderr } = spawnSync(binary, ['-V'], { encoding: 'utf8' });
  return { binary, streamModule: streamModuleLine(`${stdout}${stderr}`) };
}

/** @param {string} configure @returns {string | null} */
function streamModuleLine(configure) {
  if (/--with-stream(?=\s|$)/.test(configure)) return '';
  const modules = /--modules-path=(\S+)/.exec(configure)?.[1] ?? '/usr/lib/nginx/modules';
  const module = join(modules, 'ngx_stream_module.so');
  return existsSync(module) ? `load_module ${module};` : null;
}

/**
 * A port that was free a moment ago: nginx cannot listen on port 0 and say which port it got, so
 * node binds port 0, reads the port and closes it, and nginx is given that number. Another process
 * may take it in between; `startNginx` then retries with new ports.
 * @returns {Promise<number>}
 */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {net.AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return port;
}

/**
 * Everything nginx writes goes to `dir`: it runs as one foreground process of this user.
 * @param {string} dir @param {import('./index.js').NginxBuild} build @param {boolean} needsStream
 */
function preamble(dir, build, needsStream) {
  return [
    needsStream ? (build.streamModule ?? '') : '',
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} info;`,
    'events { worker_connections 64; }',
  ].join('\n');
}

/** The temp paths of the http block, in `dir`, not in /var/lib/nginx. @param {string} dir */
export function httpTempPaths(dir) {
  return ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(dir, kind)};`).join('\n  ');
}

/** @param {() => boolean} done @param {import('node:child_process').ChildProcess} child @param {number} timeoutMs */
async function waitUntil(done, child, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (done()) return true;
    if (child.exitCode !== null || child.signalCode !== null) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** @param {import('node:child_process').ChildProcess} child */
async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', () => resolve(undefined)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts nginx with the config `body(ports)` returns (after the preamble), `portNames` each given a
 * free port. nginx writes its pid file only after it has opened its listeners, so the file's
 * appearance says it is ready. Retries with new ports when a port was taken meanwhile.
 * @param {import('./index.js').NginxBuild} build
 * @param {string} dir
 * @param {readonly string[]} portNames
 * @param {(ports: Record<string, number>) => string} body
 * @returns {Promise<import('./index.js').RunningNginx>}
 */
export async function startNginx(build, dir, portNames, body, needsStream = false) {
  const errorLogPath = join(dir, 'error.log');
  const errorLog = () => (existsSync(errorLogPath) ? readFileSync(errorLogPath, 'utf8') : '');
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    /** @type {Record<string, number>} */
    const ports = {};
    for (const name of portNames) ports[name] = await freePort();
    const config = join(dir, 'nginx.conf');
    writeFileSync(config, `${preamble(dir, build, needsStream)}\n${body(ports)}\n`);
    writeFileSync(errorLogPath, '');
    const child = spawn(build.binary, ['-p', dir, '-c', config, '-e', errorLogPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
    const pidFile = join(dir, 'nginx.pid');
    if (await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(child.pid), child, 10_000)) {
      return { child, ports, errorLog, stop: stopOnCleanUp(() => stopChild(child)) };
    }
    await stopChild(child);
    lastError = `${stderr}${errorLog()}`;
    if (!/Address already in use/.test(lastError)) break;
  }
  throw new Error(`nginx did not start: ${lastError}`);
}
