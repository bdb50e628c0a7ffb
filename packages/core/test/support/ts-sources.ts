/**
 * For a test that runs gu's TypeScript sources under plain Node (a child process or a thread): the
 * module hooks, as JavaScript source for `registerHooks(...)`, that map the `.js` of a relative
 * import to the `.ts` file beside it, as the build would have named it.
 */
export const mapJsToTsHooks = `{
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (!specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
      return nextResolve(specifier.slice(0, -3) + '.ts', context);
    }
  },
}`;
