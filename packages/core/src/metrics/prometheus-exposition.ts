import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import type { FigureRound, Totals } from '../arbiter/figure-book.js';
import type { MetricsJson } from './request-metrics.js';
import { listenBacklogs, type TcpListen } from './listen-backlog.js';

/** What one scrape is made of, read by the arbiter at the moment of the scrape. */
export interface ScrapeInput {
  /** Each live worker's answer to this scrape's figures round (null: it did not answer in time). */
  readonly round: FigureRound;
  readonly totals: Totals;
  /** The request metrics to sum: exited workers' first, then the live ones (FigureBook.metricsOf). */
  readonly requestMetrics: readonly MetricsJson[];
  readonly workers: number;
  readonly listeners: readonly TcpListen[];
}

/** The arbiter's own figures of this scrape, in a registry made for it alone. */
function arbiterRegistry(input: ScrapeInput): Registry {
  const registry = new Registry();
  const registers = [registry];
  new Gauge({ name: 'gu_workers', help: 'Live worker processes', registers }).set(input.workers);
  new Gauge({ name: 'gu_requests_in_flight', help: 'Requests whose response is not completely written yet, over every worker that answered', registers }).set(input.totals.inFlight);
  const restarts = new Counter({ name: 'gu_worker_restarts_total', help: 'Workers that exited, by cause (since the arbiter started)', labelNames: ['cause'] as const, registers });
  for (const [cause, count] of Object.entries(input.totals.exits)) restarts.inc({ cause }, count);
  const up = new Gauge({ name: 'gu_worker_up', help: '1 for a worker that answered this scrape, 0 for one that did not in time', labelNames: ['pid'] as const, registers });
  const rss = new Gauge({ name: 'gu_worker_resident_memory_bytes', help: 'Resident set size of each worker', labelNames: ['pid'] as const, registers });
  const delay = new Gauge({ name: 'gu_worker_event_loop_delay_seconds', help: "Event-loop delay of each worker over its last 10 s window (perf_hooks monitorEventLoopDelay)", labelNames: ['pid', 'stat'] as const, registers });
  for (const [pid, figures] of input.round) {
    up.set({ pid: String(pid) }, figures ? 1 : 0);
    if (!figures) continue;
    rss.set({ pid: String(pid) }, figures.rss);
    for (const stat of ['mean', 'p99', 'max'] as const) delay.set({ pid: String(pid), stat }, figures.loopDelay[stat] / 1000);
  }
  const backlog = new Gauge({ name: 'gu_listen_backlog', help: "Connections waiting in a TCP listener's accept queue, as the kernel tells it (/proc/net/tcp)", labelNames: ['listener'] as const, registers });
  for (const { listener, queued } of listenBacklogs(input.listeners)) backlog.set({ listener }, queued);
  return registry;
}

/**
 * The `/metrics` text of one scrape: the workers' request metrics summed (prom-client's cluster
 * aggregation, over exited and live workers alike, so counters never go down) and the arbiter's
 * own figures. Also returns the exited workers' metrics summed, which the caller keeps instead of
 * the list (FigureBook.compactRetired).
 */
export async function renderPrometheus(input: ScrapeInput, retiredCount: number): Promise<{ text: string; retiredSum: MetricsJson | null }> {
  const retired = input.requestMetrics.slice(0, retiredCount);
  const retiredSum = retired.length > 1 ? ((await AggregatorRegistry.aggregate(retired).getMetricsAsJSON()) as MetricsJson) : null;
  const summed = AggregatorRegistry.aggregate([...(retiredSum ? [retiredSum] : retired), ...input.requestMetrics.slice(retiredCount)]);
  const text = await Registry.merge([summed as Registry, arbiterRegistry(input)]).metrics();
  return { text, retiredSum };
}
