import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { elapsedMs, round, type BenchRow } from './measure.ts';

/**
 * Process spawn → "listening" printed, for the demonstration's CLI: `node mocks/bin/kiosk-mock.js demo` (the
 * agent's start on the mock reader), whatever that bin runs. Median of `runs`; one more run lists the npm
 * packages it loaded through require.
 */
export async function coldStart(
  repoRoot: string,
  runs = 3,
): Promise<{ rows: BenchRow[]; result: { runsMs: number[]; medianMs: number; targetMs: number; loaded: string[] } }> {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) runsMs.push((await once(repoRoot)).readyMs);
  const medianMs = round([...runsMs].sort((a, b) => a - b)[Math.floor(runs / 2)]!, 0);
  const { loaded } = await once(repoRoot, true);
  return {
    rows: [
      {
        name: 'agent cold start → ready (demo, mock reader)',
        value: `${medianMs} ms`,
        compare: `target ≤ 400 ms; median of ${runs}: ${runsMs.map((m) => round(m, 0)).join(', ')} ms; loads (CommonJS): ${loaded.join(' ')}`,
      },
    ],
    result: { runsMs, medianMs, targetMs: 400, loaded },
  };
}

function once(repoRoot: string, listLoaded = false): Promise<{ readyMs: number; loaded: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-bench-start-'));
  const start = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [
      ...(listLoaded ? ['--require', join(repoRoot, 'bench/loaded-packages.cjs')] : []),
      join(repoRoot, 'mocks/bin/kiosk-mock.js'),
      'demo',
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'silent',
    ],
    { stdio: ['ignore', 'pipe', listLoaded ? 'pipe' : 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let readyMs: number | undefined;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (readyMs !== undefined || !chunk.toString().includes('listening on')) return;
      readyMs = elapsedMs(start);
      child.kill('SIGTERM');
    });
    // The agent stops cleanly on SIGTERM (exit 0): only an exit before "listening" is a failure. 'close', not
    // 'exit': the loaded-packages line on stderr may arrive after the exit.
    child.once('close', (code) => {
      rmSync(dataDir, { recursive: true, force: true });
      if (readyMs === undefined) reject(new Error(`agent exited with ${code} before it was ready`));
      else resolve({ readyMs, loaded: JSON.parse(/kiosk-bench-loaded (.*)/.exec(stderr)?.[1] ?? '[]') as string[] });
    });
  });
}
