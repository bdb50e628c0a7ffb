#!/usr/bin/env node
// Before anything else: without a SIGUSR1 listener Node answers that signal (gu's "reopen the log
// files") by opening its inspector on port 9229. The arbiter installs its real handler later.
process.on('SIGUSR1', () => undefined);
const { main } = await import('./main.js');

// Exit explicitly: an app loaded by --check-config, or a stray handle, must not keep gu alive.
process.exit(await main(process.argv.slice(2)));
