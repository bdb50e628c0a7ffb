import { describe, expect, it } from 'vitest';
import { builtinFlags } from '../../src/settings/command-line.js';
import { registry, settingKeys } from '../../src/settings/registry.js';

describe('the settings registry', () => {
  it('declares Gunicorn’s flags for each setting', () => {
    const flags = Object.fromEntries(settingKeys.map((key) => [registry[key].name, registry[key].flags.join(' ')]));
    expect(flags).toMatchObject({
      bind: '-b --bind',
      backlog: '--backlog',
      workers: '-w --workers',
      worker_class: '-k --worker-class',
      worker_connections: '--worker-connections',
      threads: '--threads',
      thread_concurrency: '--thread-concurrency',
      thread_queue: '--thread-queue',
      websocket_ping_interval: '--websocket-ping-interval',
      max_requests: '--max-requests',
      max_requests_jitter: '--max-requests-jitter',
      timeout: '-t --timeout',
      graceful_timeout: '--graceful-timeout',
      keepalive: '--keep-alive',
      chdir: '--chdir',
      pidfile: '-p --pid',
      accesslog: '--access-logfile',
      access_log_format: '--access-logformat --access-log-format',
      errorlog: '--error-logfile --log-file',
      loglevel: '--log-level',
      proc_name: '-n --name',
      config: '-c --config',
      check_config: '--check-config',
      print_config: '--print-config',
    });
  });

  it('declares the thread pool settings with Gunicorn\'s default of one thread', () => {
    expect([registry.threads.default, registry.threadConcurrency.default, registry.threadQueue.default]).toEqual([1, 8, 64]);
  });

  it('never gives the same flag to two settings', () => {
    const all = [...Object.values(builtinFlags).flatMap(({ flags }) => flags), ...settingKeys.flatMap((key) => registry[key].flags)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('documents every setting in one paragraph ending with a full stop', () => {
    for (const key of settingKeys) expect(registry[key].doc).toMatch(/^[A-Z][^\n]+\.$/);
  });
});
