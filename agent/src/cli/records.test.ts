import { hasUnsafeText } from '@kiosk/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { insertManualEntry } from '../storage/records.ts';
import { createCheckInStore } from '../storage/checkins.ts';
import { openDatabase } from '../storage/db.ts';
import records from './records.ts';
import { runCommand } from './cli.test-support.ts';

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

  it('prints terminal-safe text: control and bidi characters of a stored cell come out escaped', async () => {
    const db = openDatabase(join(dir, 'kiosk.sqlite'));
    const store = createCheckInStore(db);
    const at = new Date('2025-10-01T01:00:00Z');
    store.beginCheckIn({ sessionId: 'manual-1', startedAt: at, origin: 'manual' });
    insertManualEntry(db, {
      checkInSessionId: 'manual-1',
      createdAt: at,
      staff: 'desk1',
      decision: { decision: 'accepted', documents: ['shikaku_kakuninsho'], reasons: [], staffChecks: [], patientGuidance: 'kakuninsho-accepted' },
      insurance: { insurerNumber: '06139984', symbol: '\u001b]0;title\u0007\u009b2J', number: '1\u202e2' },
    });
    db.close();
    for (const format of ['csv', 'json']) {
      const written: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
      const { code } = await runCommand(records, ['export', '--day', '2025-10-01', '--format', format, '--data-dir', dir]);
      vi.restoreAllMocks();
      const out = written.join('');
      expect(code).toBe(0);
      expect(hasUnsafeText(out.replace('\uFEFF', '').replaceAll('\r', '').replaceAll('\n', ''))).toBe(false);
      expect(out).toContain('u001b]0;title');
      expect(out).toContain('u202e');
    }
  });
});
