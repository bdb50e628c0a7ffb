import module from 'node:module';

/**
 * A line that starts an `import` or `export` statement, or `import.meta` anywhere: ES module syntax.
 * `import(` (dynamic import, valid in CommonJS) and `exports.x =` do not match.
 */
const moduleSyntax = /^[ \t]*(?:import(?:\s*[{*'"]|\s+[\w$])|export(?:\s*[{*]|\s+[\w$]))|\bimport\.meta\b/m;

/** Whether TypeScript source reads as an ES module (see moduleSyntax). */
export function hasModuleSyntax(source: string): boolean {
  return moduleSyntax.test(source);
}

function sourceText(source: unknown): string | null {
  if (typeof source === 'string') return source;
  if (source instanceof ArrayBuffer) return Buffer.from(source).toString('utf8');
  if (ArrayBuffer.isView(source)) return Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('utf8');
  return null;
}

/** A `.ts` file (not `.cts`, which says CommonJS by its name), whatever query a reload added. */
function isPlainTypeScript(url: string): boolean {
  return url.startsWith('file:') && url.replace(/[?#].*$/, '').endsWith('.ts');
}

// Per thread: registerHooks hooks the calling thread only, and twice would run the check twice.
let registered = false;

/**
 * Loads a `.ts` file written with `import`/`export` as an ES module even where the nearest
 * package.json says `"type": "commonjs"` (what `npm init -y` writes): Node would compile it as
 * CommonJS and fail with "Cannot use import statement outside a module", where TypeScript's own
 * compiler would have turned those statements into require(). Node's module detection does the same
 * for a package.json without `type`. A `.ts` file without ESM syntax stays CommonJS. Node < 22.15
 * has no module.registerHooks, and strips no types by default before 22.18: nothing to do there.
 */
export function loadTypeScriptModuleSyntaxAsEsm(): void {
  if (registered || typeof module.registerHooks !== 'function') return;
  registered = true;
  module.registerHooks({
    load: (url, context, nextLoad) => {
      const loaded = nextLoad(url, context);
      if (loaded.format !== 'commonjs-typescript' || !isPlainTypeScript(url)) return loaded;
      const text = sourceText(loaded.source);
      return text !== null && hasModuleSyntax(text) ? { ...loaded, format: 'module-typescript' } : loaded;
    },
  });
}
