#!/usr/bin/env node
// The entry every Node runs, whatever its version: it checks the version before importing any of
// gu's modules, which use APIs an older Node lacks and would fail to link with a raw SyntaxError
// ("node:fs does not provide an export named globSync"). This file and node-version.ts keep to what
// Node 14.8 parses.
import { readFileSync } from 'node:fs';
import { unsupportedNodeMessage } from './node-version.js';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const refusal = unsupportedNodeMessage(process.versions.node, manifest.engines.node, process.execPath);
if (refusal !== null) {
  process.stderr.write(`${refusal}\n`);
  // ExitCode.USAGE, as for any other input gu cannot run with (errors.ts is not imported here).
  process.exit(2);
}

// Before anything else: without a SIGUSR1 listener Node answers that signal (gu's "reopen the log
// files") by opening its inspector on port 9229. The arbiter installs its real handler later.
process.on('SIGUSR1', () => undefined);
const { main } = await import('./main.js');

// Exit explicitly: an app loaded by --check-config, or a stray handle, must not keep gu alive.
process.exit(await main(process.argv.slice(2)));
