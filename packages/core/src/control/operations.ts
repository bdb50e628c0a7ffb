import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import { parseBindAddress } from '../sockets/bind-address.js';
import type { ArbiterPort } from './arbiter-port.js';
import { ControlServer } from './control-server.js';
import { HealthServer, healthProbes } from './health-server.js';

/** Prometheus' text exposition format, version 0.0.4 (what prom-client's Registry writes). */
const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `metrics_bind`: `/metrics` for Prometheus, and the health probes on the same port. */
const metricsListener = {
  setting: 'metrics_bind',
  title: 'Metrics',
  routes: {
    '/metrics': async (port: ArbiterPort | null) => (port ? [200, await port.prometheus(), PROMETHEUS_CONTENT_TYPE] as const : [503, 'starting\n'] as const),
    ...healthProbes,
  },
};

/**
 * The arbiter's operator endpoints: the control socket (`control_socket`), the health listener
 * (`health_bind`) and the metrics listener (`metrics_bind`), each when set. Opened by the CLI before the app's sockets are bound, so that an
 * unusable path or port stops gu at once; attached to the arbiter once it runs; closed as it exits.
 * Neither is opened again on a reload.
 */
export class Operations {
  private constructor(
    private readonly control: ControlServer | null,
    private readonly health: HealthServer | null,
    private readonly metrics: HealthServer | null = null,
  ) {}

  /** `upgrading`: a new arbiter started by USR2, which takes the old one's path and port over. */
  static async open(settings: Settings, log: Logger, upgrading: boolean): Promise<Operations> {
    const control = settings.controlSocket ? await ControlServer.open(settings.controlSocket, log, upgrading) : null;
    let health: HealthServer | null = null;
    try {
      const address = settings.healthBind ? parseBindAddress(settings.healthBind) : null;
      health = address?.kind === 'tcp' ? await HealthServer.open(address, log, upgrading) : null;
      const metricsAddress = settings.metricsBind ? parseBindAddress(settings.metricsBind) : null;
      const metrics = metricsAddress?.kind === 'tcp' ? await HealthServer.open(metricsAddress, log, upgrading, metricsListener) : null;
      return new Operations(control, health, metrics);
    } catch (error) {
      control?.close();
      health?.close();
      throw error;
    }
  }

  attach(port: ArbiterPort): void {
    this.control?.attach(port);
    this.health?.attach(port);
    this.metrics?.attach(port);
  }

  close(): void {
    this.control?.close();
    this.health?.close();
    this.metrics?.close();
  }
}
