import type { Logger } from '../logging/logger.js';
import { hookSpecs, type HookName, type Hooks, type ServerHooks } from './server-hooks.js';

type Args<K extends HookName> = Parameters<ServerHooks[K]>;

/**
 * Calls a hook if it is set and waits for it, at most `boundSeconds` (0: no bound). A hook that
 * throws is logged with its stack; one still running at the bound is logged and left behind, so a
 * hung hook never stalls the arbiter's loop. Never throws.
 */
export async function runHook<K extends HookName>(
  log: Logger,
  hooks: Hooks,
  name: K,
  args: Args<K>,
  boundSeconds: number,
): Promise<void> {
  const hook = hooks[name] as ((...values: Args<K>) => unknown) | undefined;
  if (!hook) return;
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'bound'>((resolve) => {
    if (boundSeconds > 0) timer = setTimeout(() => resolve('bound'), boundSeconds * 1000);
  });
  try {
    const outcome = await Promise.race([Promise.resolve(hook(...args)), bound]);
    if (outcome === 'bound') log.error(`${hookSpecs[name].name} hook still running after ${boundSeconds} s: going on without it`);
  } catch (error) {
    log.exception(`Exception in ${hookSpecs[name].name} hook`, error);
  } finally {
    clearTimeout(timer);
  }
}

/** Calls a hook if it is set and waits for it; what it throws is the caller's (post_worker_init). */
export async function callHook<K extends HookName>(hooks: Hooks, name: K, args: Args<K>): Promise<void> {
  const hook = hooks[name] as ((...values: Args<K>) => unknown) | undefined;
  if (hook) await hook(...args);
}
