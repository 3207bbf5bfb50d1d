#!/usr/bin/env node
// Runs the compiled mocks (npm run build), like the agent they stand beside.
const { runMockCli } = await import('../dist/cli.js');
process.exitCode = await runMockCli(process.argv.slice(2));
