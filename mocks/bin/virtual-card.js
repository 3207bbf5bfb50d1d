#!/usr/bin/env node
// The virtual card on its own (kiosk-mock card without the wrapper), compiled by npm run build.
const { runVirtualCardCli } = await import('../dist/card/cli.js');
process.exitCode = await runVirtualCardCli(process.argv.slice(2));
