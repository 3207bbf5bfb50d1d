import { vi } from 'vitest';
import type { Subcommand } from './main.ts';

/** Runs a CLI command with console output captured; restore with vi.restoreAllMocks(). */
export async function runCommand(command: Pick<Subcommand, 'run'>, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  const code = await command.run(argv);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
