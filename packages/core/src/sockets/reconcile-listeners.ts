import type { ArbiterListener } from './arbiter-listener.js';
import { formatBindAddress, parseBindAddress } from './bind-address.js';
import { bindListeners, type BindOptions } from './bind-listeners.js';

/** The listeners a new `bind` list asks for: kept ones as they were, new ones bound, others to close. */
export interface ListenerChange {
  /** In the order of the new `bind`. */
  readonly listeners: ArbiterListener[];
  /** Bound now: to close again if the change is abandoned. */
  readonly added: ArbiterListener[];
  /** No longer wanted: to close once the change is committed. */
  readonly removed: ArbiterListener[];
}

/**
 * Matches `bind` against the open listeners by their key (the bind value as asked): a listener that
 * is still wanted is kept as it is, never closed and opened again, so no connection is refused.
 * Binding a new address can fail (BindError); nothing is changed then.
 */
export async function reconcileListeners(
  current: readonly ArbiterListener[],
  bind: readonly string[],
  options: BindOptions,
): Promise<ListenerChange> {
  const wanted = [...new Map(bind.map(parseBindAddress).map((address) => [formatBindAddress(address), address])).entries()];
  const open = new Map(current.map((listener) => [listener.key, listener]));
  const added = await bindListeners(
    wanted.filter(([key]) => !open.has(key)).map(([, address]) => address),
    options,
  );
  const byKey = new Map([...open, ...added.map((listener) => [listener.key, listener] as const)]);
  const listeners = wanted.flatMap(([key]) => byKey.get(key) ?? []);
  const wantedKeys = new Set(wanted.map(([key]) => key));
  return { listeners, added, removed: current.filter((listener) => !wantedKeys.has(listener.key)) };
}
