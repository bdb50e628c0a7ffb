import type { Logger } from '../logging/logger.js';
import type { Settings } from '../settings/types.js';
import { parseBindAddress } from '../sockets/bind-address.js';
import type { ArbiterPort } from './arbiter-port.js';
import { ControlServer } from './control-server.js';
import { HealthServer } from './health-server.js';

/**
 * The arbiter's operator endpoints: the control socket (`control_socket`) and the health listener
 * (`health_bind`), each when set. Opened by the CLI before the app's sockets are bound, so that an
 * unusable path or port stops gu at once; attached to the arbiter once it runs; closed as it exits.
 * Neither is opened again on a reload.
 */
export class Operations {
  private constructor(
    private readonly control: ControlServer | null,
    private readonly health: HealthServer | null,
  ) {}

  /** `upgrading`: a new arbiter started by USR2, which takes the old one's path and port over. */
  static async open(settings: Settings, log: Logger, upgrading: boolean): Promise<Operations> {
    const control = settings.controlSocket ? await ControlServer.open(settings.controlSocket, log, upgrading) : null;
    try {
      const address = settings.healthBind ? parseBindAddress(settings.healthBind) : null;
      const health = address?.kind === 'tcp' ? await HealthServer.open(address, log, upgrading) : null;
      return new Operations(control, health);
    } catch (error) {
      control?.close();
      throw error;
    }
  }

  attach(port: ArbiterPort): void {
    this.control?.attach(port);
    this.health?.attach(port);
  }

  close(): void {
    this.control?.close();
    this.health?.close();
  }
}
