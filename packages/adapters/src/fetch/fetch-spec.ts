/**
 * Whether `gu module:path` points at a fetch function itself (`app.js:default.fetch`, `:app.fetch`):
 * the last name of its path is `fetch`. A function there takes a Request and returns a Response, so
 * it is served as `{ fetch }`, not called as a (req, res) listener, which would never answer.
 */
export function namesFetchFunction(spec: string | undefined): boolean {
  if (spec === undefined) return false;
  const colon = spec.lastIndexOf(':');
  if (colon < 0) return false;
  const path = spec.slice(colon + 1);
  return path === 'fetch' || path.endsWith('.fetch');
}
