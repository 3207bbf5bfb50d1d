import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import records from './records.ts';
import { runCommand } from './test-support.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'records-cli-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('kiosk-agent records export', () => {
  it.each(['2026-13-01', '2026-02-30', '26-1-1'])('--day %s: exits 2 saying the day must be a calendar date', async (day) => {
    const { code, err } = await runCommand(records, ['export', '--day', day, '--data-dir', dir]);
    expect(code).toBe(2);
    expect(err).toBe('kiosk-agent records: --day must be a calendar date YYYY-MM-DD');
  });

  it('an unknown option: exits 2 with the usage, no stack trace', async () => {
    const { code, err } = await runCommand(records, ['export', '--dya', '2026-01-01', '--data-dir', dir]);
    expect(code).toBe(2);
    expect(err).toMatch(/^kiosk-agent records: Unknown option '--dya'/);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
