#!/usr/bin/env node
import { register } from 'tsx/esm/api';

register();
const { runMockCli } = await import('../src/cli.ts');
process.exitCode = await runMockCli(process.argv.slice(2));
