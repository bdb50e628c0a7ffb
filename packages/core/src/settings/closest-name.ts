/** Case, `_` and `-` do not make names different: `graceful_timeout` is `gracefulTimeout`. */
function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Typos of at most this many letters are worth a "did you mean". */
const MAX_DISTANCE = 2;

/**
 * The name the user most likely meant, or undefined when none is close. Each candidate has
 * aliases (its Gunicorn name, its flags) that lead to it, so `graceful_timeout` and `access-logfile`
 * find `gracefulTimeout` and `accesslog`.
 */
export function closestName(input: string, candidates: ReadonlyMap<string, readonly string[]>): string | undefined {
  const wanted = normalize(input);
  let best: { name: string; distance: number } | undefined;
  for (const [name, aliases] of candidates) {
    for (const alias of [name, ...aliases]) {
      const distance = editDistance(wanted, normalize(alias));
      if (distance <= MAX_DISTANCE && (best === undefined || distance < best.distance)) best = { name, distance };
    }
  }
  return best?.name;
}
