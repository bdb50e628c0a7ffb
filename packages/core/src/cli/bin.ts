#!/usr/bin/env node
import { main } from './main.js';

// Exit explicitly: an app loaded by --check-config, or a stray handle, must not keep gu alive.
process.exit(await main(process.argv.slice(2)));
