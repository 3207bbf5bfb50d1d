#!/usr/bin/env node
// Runs the TypeScript virtual card directly through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
const { runVirtualCardCli } = await import('../src/card/cli.ts');
process.exitCode = await runVirtualCardCli(process.argv.slice(2));
