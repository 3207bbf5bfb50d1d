import { hasUnsafeText } from '@kiosk/protocol';
import { describe, expect, it } from 'vitest';
import { createCheckInStore } from '../storage/checkins.ts';
import { openDatabase } from '../storage/db.ts';
import { createAuditTrail } from '../storage/audit.ts';
import { insertManualEntry, listDayCheckIns } from '../storage/records.ts';
import { toCsv, toExportRows } from './export.ts';
import { purgeRecords } from './retention.ts';

const day = (iso: string) => new Date(iso);

/** The records tables as the agent makes them at start-up. */
function recordsDb() {
  const db = openDatabase(':memory:');
  const store = createCheckInStore(db);
  return { db, store };
}

function seeded() {
  const { db, store } = recordsDb();
  const audit = createAuditTrail(db);
  const old = day('2025-06-01T01:00:00Z');
  const recent = day('2025-09-30T01:00:00Z');
  for (const [id, at] of [
    ['old-1', old],
    ['old-2', old],
    ['new-1', recent],
  ] as const) {
    store.beginCheckIn({ sessionId: id, startedAt: at, origin: 'card' });
    store.completeCheckIn(id, { at, newPatient: false });
    store.recordConsent({ sessionId: id, subjectKey: 'k', given: { medication: true }, recordedAt: at, source: 'kiosk' });
    audit.record({ at, actor: 'desk1', action: 'export', outcome: 'ok' });
  }
  return db;
}

describe('retention purge', () => {
  it('dry run counts, real run deletes only rows older than the period', () => {
    const db = seeded();
    const now = day('2025-10-01T00:00:00Z');
    expect(listDayCheckIns(db, '2025-06-01')).toHaveLength(2);
    const dry = purgeRecords(db, { now, days: 90, dryRun: true });
    expect(dry.tables).toEqual({
      checkins: 2,
      consents: 2,
      checkin_queue: 1,
      staff_audit: 2,
      staff_manual_entries: 0,
      staff_alert_acks: 0,
      oqs_bindings: 0,
      oqs_files: 0,
      oqs_requests: 0,
      oqs_staff_items: 0,
      orca_outbox: 0,
      checkin_documents: 0,
    });
    expect(listDayCheckIns(db, '2025-06-01')).toHaveLength(2);
    const real = purgeRecords(db, { now, days: 90, dryRun: false });
    expect(real.tables).toEqual(dry.tables);
    expect(listDayCheckIns(db, '2025-06-01')).toHaveLength(0);
    expect(listDayCheckIns(db, '2025-09-30')).toHaveLength(1);
    expect(purgeRecords(db, { now, days: 90, dryRun: true }).tables.checkins).toBe(0);
  });
});

describe('day listing and export', () => {
  it('lists a Japan day by its JST bounds', () => {
    const { db, store } = recordsDb();
    store.beginCheckIn({ sessionId: 'late-utc', startedAt: day('2025-09-30T15:30:00Z'), origin: 'card' }); // 10-01 00:30 JST
    store.beginCheckIn({ sessionId: 'prev', startedAt: day('2025-09-30T14:59:00Z'), origin: 'card' });
    expect(listDayCheckIns(db, '2025-10-01').map((c) => c.sessionId)).toEqual(['late-utc']);
  });

  it('writes CSV with quoting and without spreadsheet formulas', () => {
    const { db, store } = recordsDb();
    store.beginCheckIn({ sessionId: '=cmd|x', startedAt: day('2025-10-01T01:00:00Z'), origin: 'card' });
    store.beginCheckIn({ sessionId: 'a,"b"', startedAt: day('2025-10-01T02:00:00Z'), origin: 'card' });
    const csv = toCsv(toExportRows(listDayCheckIns(db, '2025-10-01')));
    const lines = csv.replace('\uFEFF', '').split('\r\n');
    expect(lines[0]).toMatch(/^queue_number,session_id,status/);
    expect(lines[1]).toContain(",'=cmd|x,");
    expect(lines[2]).toContain(',"a,""b""",');
  });

  /** A manual entry saved with the given 記号 (as an older agent, or a direct database edit, could have stored it). */
  function withSymbol(symbols: string[]) {
    const { db, store } = recordsDb();
    symbols.forEach((symbol, i) => {
      const sessionId = `manual-${i}`;
      const at = day(`2025-10-01T0${i % 10}:00:00Z`);
      store.beginCheckIn({ sessionId, startedAt: at, origin: 'manual' });
      insertManualEntry(db, {
        checkInSessionId: sessionId,
        createdAt: at,
        staff: 'desk1',
        decision: { decision: 'accepted', documents: ['shikaku_kakuninsho'], reasons: [], staffChecks: [], patientGuidance: 'kakuninsho-accepted' },
        insurance: { insurerNumber: '06139984', symbol, number: '1' },
      });
    });
    return toExportRows(listDayCheckIns(db, '2025-10-01'));
  }

  it.each(['=1+1', '+1', '-1', '@SUM(A1)', '＝1+1', '＋1', '－1', '＠SUM(A1)', ' =1+1', '\t=1+1'])(
    'neutralises a cell a spreadsheet would run as a formula in CSV and JSON: %j',
    (symbol) => {
      const [row] = withSymbol([symbol]);
      expect(row!.symbol).toBe(`'${symbol.replace('\t', '\\u0009')}`);
      expect(toCsv([row!])).toContain(`,${row!.symbol},`);
    },
  );

  it('escapes control and bidi characters in every export cell', () => {
    const rows = withSymbol(['\u001b[2Jx', 'a\u202eb', '\u0000', 'c\u0085d', 'e\u2066f', 'g\r\nh']);
    expect(rows.map((r) => r.symbol)).toEqual(['\\u001b[2Jx', 'a\\u202eb', '\\u0000', 'c\\u0085d', 'e\\u2066f', 'g\\u000d\\u000ah']);
    const csv = toCsv(rows);
    expect(hasUnsafeText(csv.replace('\uFEFF', '').replaceAll('\r\n', ''))).toBe(false);
    expect(csv.replace('\uFEFF', '').split('\r\n')).toHaveLength(rows.length + 2);
  });
});
