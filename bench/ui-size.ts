import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './measure.ts';

/** Bytes of the built kiosk UI's JavaScript, raw and gzipped (what a kiosk downloads at start). */
export function uiSize(distDir: string): { rows: BenchRow[]; result: { files: number; rawBytes: number; gzipBytes: number } } {
  const assets = join(distDir, 'assets');
  const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of files) {
    const bytes = readFileSync(join(assets, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  return {
    rows: [
      {
        name: 'kiosk UI JavaScript (gzip)',
        value: `${(gzipBytes / 1024).toFixed(1)} KiB`,
        compare: `${(rawBytes / 1024).toFixed(1)} KiB raw, ${files.length} files`,
      },
    ],
    result: { files: files.length, rawBytes, gzipBytes },
  };
}
