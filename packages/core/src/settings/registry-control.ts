import type { SettingSpecs } from './registry.js';
import { optionalFile, ValueRejected, type ValueKind } from './value-kinds.js';
import { parseBindAddress } from '../sockets/bind-address.js';

/** `HOST:PORT` (or `[IPV6]:PORT`, or a bare HOST on port 8000) for a listener of the arbiter's own. */
const optionalTcpAddress: ValueKind<string | null> = {
  expected: 'HOST:PORT or [IPV6]:PORT, or null',
  metavar: 'ADDRESS',
  coerce(raw) {
    if (raw === null) return null;
    const text = typeof raw === 'string' ? raw.trim() : '';
    let kind: string;
    try {
      kind = parseBindAddress(text).kind;
    } catch {
      throw new ValueRejected(raw);
    }
    if (kind !== 'tcp') throw new ValueRejected(raw);
    return text;
  },
};

/**
 * The arbiter's operator endpoints (see src/control/): the control socket of `gu ctl` and the
 * health listener, declared here to keep registry.ts readable; it spreads them in place.
 */
export const controlSettings: SettingSpecs<'controlSocket' | 'healthBind' | 'metricsBind'> = {
  controlSocket: {
    name: 'control_socket',
    section: 'Control',
    flags: ['--control-socket'],
    metavar: 'PATH',
    kind: optionalFile,
    default: null,
    defaultDoc: 'None (off)',
    doc: "The unix socket `gu ctl` talks to (Gunicorn 25.1's control socket of `gunicornc`): `gu ctl --control-socket PATH status` shows the arbiter, its workers and their figures, and reloads, scales or stops one worker without a signal. The arbiter creates it with mode 0600 (only its user may connect), before anything else is bound, and removes it when it exits; gu refuses to start (exit 2) if the directory does not exist or a running gu already listens there, and replaces a socket file left by a gu that was killed. Unlike Gunicorn, whose socket is on by default (`$XDG_RUNTIME_DIR/gunicorn.ctl` or `$HOME/.gunicorn/gunicorn.ctl`), gu opens none unless asked: a default path shared by every gu of a user would make the second one refuse to start, and an unwritable default directory (a container's non-root user) must not be one more reason for gu to fail. A reload (HUP) keeps the socket as it is; a changed path takes a restart. See [operations.md](operations.md).",
  },
  healthBind: {
    name: 'health_bind',
    section: 'Control',
    flags: ['--health-bind'],
    kind: optionalTcpAddress,
    default: null,
    defaultDoc: 'None (off)',
    doc: "An address (`HOST:PORT`) where the arbiter serves health endpoints for orchestrators: `/livez` answers 200 while the arbiter's loop turns (503 once it has not for 5 s) and `/readyz` 200 while at least one worker is ready and not draining, 503 from the moment a TERM, INT or QUIT arrives, before the listeners close. Anything else is 404. Separate from the app's sockets: it answers even when every worker is busy. Not a Gunicorn setting. A reload (HUP) keeps it as it is; a changed address takes a restart. See [operations.md](operations.md) for a Kubernetes Deployment that uses it.",
  },
  metricsBind: {
    name: 'metrics_bind',
    section: 'Control',
    flags: ['--metrics-bind'],
    kind: optionalTcpAddress,
    default: null,
    defaultDoc: 'None (off)',
    doc: "An address (`HOST:PORT`) where the arbiter serves Prometheus metrics at `/metrics`, aggregated over every worker: `gu_requests_total` by method and status class, `gu_request_duration_seconds` (a histogram), `gu_requests_in_flight`, `gu_workers`, `gu_worker_restarts_total` by cause (reload, max_requests, memory, timeout, crash, boot, other), per worker `gu_worker_resident_memory_bytes`, `gu_worker_event_loop_delay_seconds` and `gu_worker_up`, and `gu_listen_backlog` (connections waiting in each TCP listener's accept queue, as the kernel tells it). A scrape asks each worker once, over its IPC channel, with a 1 s timeout: a worker that does not answer is shown as `gu_worker_up 0` with its last figures, and never fails the scrape. Counters never go down: what exited workers counted is kept by the arbiter. The same listener also answers `/livez` and `/readyz` (see `health_bind`). Not a Gunicorn setting. A reload (HUP) keeps it as it is. See [operations.md](operations.md).",
  },
};
