// Servers other than gu that a test started (nginx, a process in a pid namespace): cleanUp() stops
// them by pid too, also when the test failed before its own stop.

/** @type {Set<() => Promise<void>>} */
const stops = new Set();

/**
 * Has `cleanUp()` run `stop` unless it ran before; returns the stop to call earlier (once at most).
 * @param {() => Promise<void>} stop
 */
export function stopOnCleanUp(stop) {
  const once = async () => {
    if (!stops.delete(once)) return;
    await stop();
  };
  stops.add(once);
  return once;
}

export async function stopOtherServers() {
  await Promise.all([...stops].map((stop) => stop()));
}
