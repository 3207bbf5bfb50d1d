#!/usr/bin/env node
// Runs the compiled agent (npm run build): plain node, no TypeScript loader in production.
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
