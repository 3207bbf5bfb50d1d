import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elapsedMs, round, type BenchRow } from './measure.ts';

/** Process spawn → "listening" printed, for the real CLI on the mock driver. Median of `runs`. */
export async function coldStart(repoRoot: string, runs = 3): Promise<{ rows: BenchRow[]; result: { runsMs: number[]; medianMs: number } }> {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) runsMs.push(await once(repoRoot));
  const medianMs = round([...runsMs].sort((a, b) => a - b)[Math.floor(runs / 2)]!, 0);
  return {
    rows: [
      {
        name: 'agent cold start → ready (mock driver)',
        value: `${medianMs} ms`,
        compare: `median of ${runs}: ${runsMs.map((m) => round(m, 0)).join(', ')} ms`,
      },
    ],
    result: { runsMs, medianMs },
  };
}

function once(repoRoot: string): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-start-'));
  const start = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'agent/bin/kiosk-agent.js'), 'start', '--driver', 'mock', '--port', '0', '--data-dir', dataDir, '--log-level', 'silent'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let readyMs: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (readyMs !== undefined || !chunk.toString().includes('listening on')) return;
      readyMs = elapsedMs(start);
      child.kill('SIGTERM');
    });
    // The agent stops cleanly on SIGTERM (exit 0): only an exit before "listening" is a failure.
    child.once('exit', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      if (readyMs === undefined) reject(new Error(`agent exited with ${code} before it was ready`));
      else resolve(readyMs);
    });
  });
}
