import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSettings, useTempProject } from './temp-project.js';

const project = useTempProject();

/** One setting (workers) given in every layer, plus one setting that only that layer gives. */
const layers = {
  env: { WEB_CONCURRENCY: '2', PORT: '7000' },
  config: 'export default { workers: 3, timeout: 40, bind: ["127.0.0.1:9001"] };\n',
  extraArgs: '-w 4 --keep-alive 9',
  argv: ['-w', '5', '--log-level', 'debug', 'app.js:app'],
};

describe('settings precedence: defaults < environment < config file < GU_CMD_ARGS < command line', () => {
  it('uses Gunicorn defaults (with the async worker) when nothing is given', async () => {
    const settings = await resolveSettings([], {}, project.dir());
    expect(settings).toEqual({
      app: null,
      config: null,
      checkConfig: false,
      printConfig: false,
      bind: ['127.0.0.1:8000'],
      backlog: 2048,
      workers: 1,
      workerClass: 'async',
      workerConnections: 1000,
      threads: 1,
      threadConcurrency: 8,
      threadQueue: 64,
      websocketPingInterval: 20,
      maxRequests: 0,
      maxRequestsJitter: 0,
      timeout: 30,
      dumpStackOnTimeout: false,
      bootTimeout: 120,
      gracefulTimeout: 30,
      maxWorkerMemory: 0,
      keepalive: 2,
      limitRequestLine: 4094,
      limitRequestFields: 100,
      limitRequestFieldSize: 8190,
      limitRequestBody: 0,
      clientHeaderTimeout: 10,
      clientBodyTimeout: 30,
      reload: false,
      reloadExtraFiles: [],
      preloadApp: false,
      chdir: project.dir(),
      rawEnv: [],
      workerTmpDir: null,
      daemon: false,
      pidfile: null,
      user: null,
      group: null,
      initgroups: false,
      umask: null,
      certfile: null,
      keyfile: null,
      caCerts: null,
      certReqs: 'none',
      ciphers: null,
      tlsMinVersion: 'TLSv1.2',
      forwardedAllowIps: ['127.0.0.1', '::1'],
      secureSchemeHeaders: { 'X-FORWARDED-PROTOCOL': 'ssl', 'X-FORWARDED-PROTO': 'https', 'X-FORWARDED-SSL': 'on' },
      proxyProtocol: 'off',
      proxyAllowIps: ['127.0.0.1', '::1'],
      accesslog: null,
      accessLogFormat: '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"',
      errorlog: '-',
      logFormat: 'text',
      statsdHost: null,
      statsdPrefix: '',
      dogstatsdTags: [],
      statsdNamespace: 'gunicorn',
      loglevel: 'info',
      procName: null,
      controlSocket: null,
      healthBind: null,
      metricsBind: null,
    });
  });

  it('reads WEB_CONCURRENCY and PORT from the environment', async () => {
    const settings = await resolveSettings([], layers.env, project.dir());
    expect(settings.workers).toBe(2);
    expect(settings.bind).toEqual(['0.0.0.0:7000']);
  });

  it('stacks all five layers, each overriding only what it sets', async () => {
    project.write('gu.config.mjs', layers.config);
    const settings = await resolveSettings(layers.argv, { ...layers.env, GU_CMD_ARGS: layers.extraArgs }, project.dir());
    expect(settings.workers).toBe(5);
    expect(settings.loglevel).toBe('debug');
    expect(settings.keepalive).toBe(9);
    expect(settings.timeout).toBe(40);
    expect(settings.bind).toEqual(['127.0.0.1:9001']);
    expect(settings.app).toBe('app.js:app');
  });

  it.each([
    ['GU_CMD_ARGS beats the config file', [], layers.extraArgs, 4],
    ['the config file beats the environment', [], '', 3],
  ])('%s', async (_title, argv, extraArgs, workers) => {
    project.write('gu.config.mjs', layers.config);
    const settings = await resolveSettings(argv, { ...layers.env, GU_CMD_ARGS: extraArgs }, project.dir());
    expect(settings.workers).toBe(workers);
  });

  it('replaces a lower layer’s bind list instead of adding to it', async () => {
    project.write('gu.config.mjs', 'export default { bind: ["127.0.0.1:1", "127.0.0.1:2"] };\n');
    const fromConfig = await resolveSettings([], { PORT: '7000' }, project.dir());
    expect(fromConfig.bind).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
    const fromFlags = await resolveSettings(['-b', '127.0.0.1:3', '--bind', 'unix:/tmp/gu.sock'], { GU_CMD_ARGS: '-b 127.0.0.1:4' }, project.dir());
    expect(fromFlags.bind).toEqual(['127.0.0.1:3', 'unix:/tmp/gu.sock']);
  });

  it('keeps the last value of a flag given twice', async () => {
    const settings = await resolveSettings(['-w', '2', '--workers=7'], {}, project.dir());
    expect(settings.workers).toBe(7);
  });

  it('prefers -c on the command line over -c in GU_CMD_ARGS', async () => {
    const first = project.write('first.mjs', 'export default { workers: 11 };\n');
    project.write('second.mjs', 'export default { workers: 12 };\n');
    const settings = await resolveSettings(['-c', 'first.mjs'], { GU_CMD_ARGS: '-c second.mjs' }, project.dir());
    expect(settings.config).toBe(first);
    expect(settings.workers).toBe(11);
  });

  it('resolves chdir, pidfile and log files against the starting directory', async () => {
    mkdirSync(join(project.dir(), 'site'));
    const argv = ['--chdir', 'site', '-p', 'run/gu.pid', '--access-logfile', '-', '--log-file', 'logs/error.log'];
    const settings = await resolveSettings(argv, {}, project.dir());
    expect(settings.chdir).toBe(join(project.dir(), 'site'));
    expect(settings.pidfile).toBe(join(project.dir(), 'run/gu.pid'));
    expect(settings.accesslog).toBe('-');
    expect(settings.errorlog).toBe(join(project.dir(), 'logs/error.log'));
  });

  it('passes --check-config and --print-config through for the CLI to act on', async () => {
    const settings = await resolveSettings(['--check-config', '--print-config'], {}, project.dir());
    expect([settings.checkConfig, settings.printConfig]).toEqual([true, true]);
  });
});
