import { Counter, Histogram, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { AccessEntry } from '../logging/access-entry.js';

/** A worker's request metrics as prom-client's JSON gives them: what the arbiter aggregates. */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** Seconds: from a cache hit on loopback to a slow upstream call. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The methods labelled by name; any other (a typo, an attack) counts as OTHER, so labels stay few. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']);

const methodLabel = (method: string): string => (KNOWN_METHODS.has(method) ? method : 'OTHER');
const statusClass = (status: number): string => (status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other');

/**
 * The per-request metrics of one worker (`metrics_bind`), in a registry of its own: requests by
 * method and status class, and their duration. Fed with the access-log entries the HTTP front builds;
 * read by the arbiter as JSON in each figures answer, and summed over the workers there.
 */
export class RequestMetrics {
  private readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'gu_requests_total',
    help: 'Requests served, by method and status class (summed over every worker gu ran since it started)',
    labelNames: ['method', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'gu_request_duration_seconds',
    help: 'Time from the request head to the end of the response, by method',
    labelNames: ['method'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  readonly log = (entry: AccessEntry): void => {
    const method = methodLabel(entry.method);
    this.requests.inc({ method, status: statusClass(entry.status) });
    this.duration.observe({ method }, entry.durationMicros / 1e6);
  };

  json(): Promise<MetricsJson> {
    return this.registry.getMetricsAsJSON();
  }
}
