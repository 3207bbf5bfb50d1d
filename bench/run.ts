/**
 * npm run bench: one table on stdout and bench/results.json. Figures depend on the machine; the
 * README's performance section says which one they were taken on.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import type { BenchRow } from './measure.ts';
import { uiSize } from './ui-size.ts';
import { coldStart } from './cold-start.ts';
import { fanout } from './fanout.ts';
import { soak } from './soak.ts';
import { fuzz } from './fuzz.ts';
import { writeReport } from './report.ts';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../..');
const soakCount = Number(process.env.BENCH_SOAK ?? 10_000);
const fuzzCount = Number(process.env.BENCH_FUZZ ?? 10_000);

/** `npm run bench -- soak oqs` runs only the sections named and updates just those in results.json. */
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);
const resultsPath = join(repoRoot, 'bench/results.json');

const rows: BenchRow[] = [];
const results: Record<string, unknown> = {
  ...(only.size > 0 && existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Record<string, unknown>) : {}),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
  date: new Date().toISOString(),
  // Figures on a shared machine are read beside its load.
  load: loadavg()
    .map((l) => l.toFixed(2))
    .join(' / '),
};
/** Every printed row, by section, beside its reference; kept for sections not run this time (docs/performance.md). */
const tableRows = (results.rows ??= {}) as Record<string, BenchRow[]>;
const sectionDates = (results.sectionDates ??= {}) as Record<string, string>;

async function section(name: string, run: () => Promise<{ rows: BenchRow[]; result: unknown }>): Promise<void> {
  if (!wanted(name)) return;
  process.stderr.write(`[bench] ${name}…\n`);
  try {
    const out = await run();
    rows.push(...out.rows);
    results[name] = out.result;
    tableRows[name] = out.rows;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    rows.push({ name, value: 'not measured', compare: message });
    results[name] = { error: message };
    tableRows[name] = [{ name, value: 'not measured', compare: message }];
  }
  sectionDates[name] = new Date().toISOString();
}

await section('ui', async () => uiSize(join(repoRoot, 'kiosk-ui/dist')));
await section('coldStart', () => coldStart(repoRoot));

if (['fanout', 'soak', 'fuzz'].some(wanted)) {
  const agent = await startDemo({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'kiosk-bench-')), logger: silentLogger });
  await section('fanout', () => fanout(agent.url));
  await section('soak', () => soak(agent, soakCount));
  await section('fuzz', () => fuzz(agent.url, fuzzCount));
  await agent.close();
}
// Imported when run: a machine without pcsclite still gets the other figures, and this row says why.
await section('pcsc', async () => (await import('./pcsc.ts')).bench());
await section('oqs', async () => (await import('./oqs.ts')).bench());

const width = Math.max(...rows.map((r) => r.name.length));
const valueWidth = Math.max(...rows.map((r) => r.value.length));
console.log(`\n${'measure'.padEnd(width)}  ${'figure'.padEnd(valueWidth)}  compared with`);
console.log(`${'-'.repeat(width)}  ${'-'.repeat(valueWidth)}  ${'-'.repeat(30)}`);
for (const r of rows) console.log(`${r.name.padEnd(width)}  ${r.value.padEnd(valueWidth)}  ${r.compare ?? ''}`);
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten: bench/results.json, ${writeReport(repoRoot)}`);
process.exit(0);
