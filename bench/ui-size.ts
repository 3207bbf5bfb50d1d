import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchRow } from './measure.ts';

interface PageSize {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

/** The JavaScript one built page loads at start: its module script and the chunks it preloads. */
function pageSize(distDir: string, page: string): PageSize {
  const html = readFileSync(join(distDir, page), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const file of scripts) {
    const bytes = readFileSync(join(distDir, file));
    rawBytes += bytes.length;
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: scripts.length, rawBytes, gzipBytes };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** Bytes of the built UI's JavaScript per page, raw and gzipped: what the kiosk (and the console) download at start. */
export function uiSize(distDir: string): { rows: BenchRow[]; result: { kiosk: PageSize; staff: PageSize } } {
  const kiosk = pageSize(distDir, 'index.html');
  const staff = pageSize(distDir, 'staff.html');
  return {
    rows: [
      { name: 'kiosk UI JavaScript (gzip)', value: kib(kiosk.gzipBytes), compare: `${kib(kiosk.rawBytes)} raw, ${kiosk.files} files, loaded by index.html` },
      {
        name: 'staff console JavaScript (gzip)',
        value: kib(staff.gzipBytes),
        compare: `${kib(staff.rawBytes)} raw, ${staff.files} files (the shared chunk too), staff.html`,
      },
    ],
    result: { kiosk, staff },
  };
}
