/**
 * docs/performance.md's table, regenerated from bench/results.json (`npm run bench:report`; `npm run
 * bench` does it too). Only the part between the markers is rewritten; the prose around it is kept.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './measure.ts';

const BEGIN = '<!-- bench:table:begin (generated from bench/results.json by npm run bench:report) -->';
const END = '<!-- bench:table:end -->';

interface Results {
  machine?: { cpus?: number; model?: string; memoryGiB?: number; node?: string; platform?: string };
  date?: string;
  load?: string;
  rows?: Record<string, BenchRow[]>;
  sectionDates?: Record<string, string>;
}

const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|');

export function renderTable(results: Results): string {
  const m = results.machine ?? {};
  const lines = [
    `Machine: ${m.cpus ?? '?'} CPUs (${m.model ?? '?'}), ${m.memoryGiB ?? '?'} GiB, Node ${m.node ?? '?'} on ${m.platform ?? '?'}; last run ${results.date ?? '?'}${results.load ? `; load average at the start: ${results.load}` : ''}.`,
    '',
    '| section | measure | figure | compared with | measured |',
    '|---|---|---|---|---|',
  ];
  for (const [section, rows] of Object.entries(results.rows ?? {})) {
    for (const r of rows)
      lines.push(`| ${section} | ${cell(r.name)} | ${cell(r.value)} | ${cell(r.compare)} | ${results.sectionDates?.[section]?.slice(0, 16) ?? ''} |`);
  }
  return lines.join('\n');
}

export function writeReport(repoRoot: string): string {
  const results = JSON.parse(readFileSync(join(repoRoot, 'bench/results.json'), 'utf8')) as Results;
  const path = join(repoRoot, 'docs/performance.md');
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : `# Performance\n\n${BEGIN}\n${END}\n`;
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${path} has no ${BEGIN} … ${END} markers`);
  writeFileSync(path, `${doc.slice(0, start + BEGIN.length)}\n${renderTable(results)}\n${doc.slice(end)}`);
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`written: ${writeReport(resolve(fileURLToPath(import.meta.url), '../..'))}`);
}
