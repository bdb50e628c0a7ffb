import type { RawLayer, RawValues } from './layer.js';
import { registry, settingKeys } from './registry.js';

/**
 * The environment layer: the variables the registry names (`WEB_CONCURRENCY` for workers, `PORT`
 * for the default bind, as Gunicorn reads them). An empty variable counts as unset, since shells
 * and process managers often export empty values.
 */
export function readEnvironment(env: NodeJS.ProcessEnv): RawLayer {
  const values: RawValues = {};
  for (const key of settingKeys) {
    const source = registry[key].env;
    const text = source === undefined ? undefined : env[source.variable]?.trim();
    if (source === undefined || text === undefined || text === '') continue;
    values[key] = source.toRaw ? source.toRaw(text) : text;
  }
  return { origin: { kind: 'environment' }, values };
}
