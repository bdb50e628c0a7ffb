/**
 * Seconds on the system's monotonic clock (CLOCK_MONOTONIC on Linux, the same for every process of
 * the machine). Heartbeats and timeouts use it, as Gunicorn does, so that a wall-clock jump (NTP, a
 * VM resumed, an operator's `date -s`) neither kills every worker nor hides a hung one.
 */
export function monotonicSeconds(): number {
  return Number(process.hrtime.bigint()) / 1e9;
}
