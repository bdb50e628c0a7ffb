/**
 * Whether `gu module:path` points at a fetch function itself (`app.js:default.fetch`): the last name
 * of its path is `fetch`. Such a function takes a Request and returns a Response; called as a
 * (req, res) listener it would never answer. (@gu/adapters, which depends on nothing of gu's at run
 * time, keeps its own copy of this rule.)
 */
export function namesFetchFunction(spec: string): boolean {
  const colon = spec.lastIndexOf(':');
  if (colon < 0) return false;
  const path = spec.slice(colon + 1);
  return path === 'fetch' || path.endsWith('.fetch');
}
