import type { Settings } from '../settings/types.js';
import { parseStatsdAddress } from '../settings/metrics-value-kinds.js';
import { monotonicSeconds } from '../worker/monotonic-clock.js';

/**
 * gu's StatsD client, one per process (the arbiter, each worker): metric names are given without
 * the namespace (`requests`, `request.duration`), which it adds with the prefix and the tags.
 */
export interface StatsdClient {
  increment(name: string): void;
  /** A duration in milliseconds (StatsD's `|ms`, as Gunicorn's `histogram`). */
  timing(name: string, milliseconds: number): void;
  gauge(name: string, value: number): void;
  /** Sends what is buffered and closes the socket. */
  close(): Promise<void>;
}

/** One UDP datagram that crosses any path unfragmented (the DogStatsD client's default size). */
const DATAGRAM_BYTES = 1432;
/** How long metrics may wait in the buffer: StatsD servers aggregate over 10 s windows by default. */
const FLUSH_MS = 1000;
/** A StatsD server that is down reports an error per send: one warning per this long is enough. */
const WARN_EVERY_MS = 60_000;

/** Gunicorn's prefix rule: `app` and `app.` both give `app.`; empty stays empty. */
function withTrailingDot(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? prefix : `${prefix}.`;
}

/**
 * The client `settings` ask for, or null when `statsd_host` is not set. `warn` hears failed sends,
 * at most once a minute. hot-shots is imported only then: every gu start would otherwise pay for it.
 */
export async function openStatsd(settings: Readonly<Settings>, warn: (message: string) => void): Promise<StatsdClient | null> {
  if (settings.statsdHost === null) return null;
  const address = parseStatsdAddress(settings.statsdHost);
  if (address === null) return null;
  const { default: StatsD } = await import('hot-shots');
  let warnedAt = -Infinity;
  const client = new StatsD({
    host: address.host,
    port: address.port,
    prefix: `${withTrailingDot(settings.statsdPrefix)}${settings.statsdNamespace}.`,
    globalTags: settings.dogstatsdTags,
    includeDataDogTags: false,
    originDetection: false,
    maxBufferSize: DATAGRAM_BYTES,
    bufferFlushInterval: FLUSH_MS,
    udpSocketOptions: { type: address.host.includes(':') ? 'udp6' : 'udp4' },
    errorHandler: (error) => {
      if (monotonicSeconds() * 1000 - warnedAt < WARN_EVERY_MS) return;
      warnedAt = monotonicSeconds() * 1000;
      warn(`StatsD: sending to ${settings.statsdHost} failed: ${error.message}`);
    },
  });
  return {
    increment: (name) => { client.increment(name); },
    timing: (name, milliseconds) => { client.timing(name, milliseconds); },
    gauge: (name, value) => { client.gauge(name, value); },
    close: () => new Promise<void>((resolve) => { client.close(() => { resolve(); }); }),
  };
}
