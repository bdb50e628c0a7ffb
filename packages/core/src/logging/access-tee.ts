import type { AccessEntry } from './access-entry.js';

type AccessSink = { log(entry: AccessEntry): void };

/**
 * One recorder for the HTTP front out of every sink that wants finished requests (the access log,
 * StatsD), or null when none does: the front then records nothing, which costs nothing.
 */
export function teeAccess(...sinks: readonly (AccessSink | null)[]): AccessSink | null {
  const present = sinks.filter((sink): sink is AccessSink => sink !== null);
  if (present.length <= 1) return present[0] ?? null;
  return { log: (entry) => { for (const sink of present) sink.log(entry); } };
}
