// Writes docs/settings.md (at the repository root) from the settings registry. It imports the
// BUILT module, so run it after `pnpm --filter @gu/core build`; test/settings/docs.test.ts fails
// when the committed file differs from what the registry renders.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { renderSettingsReference } = await import('../dist/settings/reference.js').catch((/** @type {unknown} */ error) => {
  console.error(`write-settings-doc: cannot import dist/settings/reference.js (run the build first): ${String(error)}`);
  process.exit(1);
});

const docsDir = new URL('../../../docs/', import.meta.url);
mkdirSync(docsDir, { recursive: true });
const target = new URL('settings.md', docsDir);
writeFileSync(target, renderSettingsReference());
console.log(`write-settings-doc: wrote ${fileURLToPath(target)}`);
