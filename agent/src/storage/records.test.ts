import { describe, expect, it } from 'vitest';
import { createCheckInStore } from './checkins.ts';
import { openDatabase } from './db.ts';
import { insertManualEntry, listDayCheckIns } from './records.ts';
import { StoredRowError } from './rows.ts';

const at = new Date('2025-10-01T01:00:00Z');

function withManualEntry() {
  const db = openDatabase(':memory:');
  const store = createCheckInStore(db);
  store.beginCheckIn({ sessionId: 'manual-1', startedAt: at, origin: 'manual' });
  insertManualEntry(db, {
    checkInSessionId: 'manual-1',
    createdAt: at,
    staff: 'desk1',
    decision: { decision: 'conditional', documents: ['shikaku_kakuninsho'], reasons: [], staffChecks: [], patientGuidance: 'kakuninsho-accepted' },
    insurance: { insurerNumber: '06139984', number: '1' },
  });
  return db;
}

describe('check-in records read back typed', () => {
  it('parses the stored columns into typed values (booleans, the documents list)', () => {
    const [row] = listDayCheckIns(withManualEntry(), '2025-10-01');
    expect(row).toMatchObject({ sessionId: 'manual-1', origin: 'manual', status: 'in-progress', newPatient: false, interrupted: false });
    expect(row!.manual).toMatchObject({ decision: 'conditional', documents: ['shikaku_kakuninsho'], reasons: [], staffChecks: [] });
  });

  it.each([
    ['an auth method this release does not know', "UPDATE checkins SET auth_method = 'fingerprint'", 'auth_method'],
    ['a staff reason this release does not know', "UPDATE checkins SET staff_reason = 'gone-fishing'", 'staff_reason'],
    ['documents that are not JSON', "UPDATE staff_manual_entries SET documents = '[shikaku'", 'documents'],
    ['an unknown document', `UPDATE staff_manual_entries SET documents = '["library_card"]'`, 'documents.0'],
  ])('a row with %s is a typed error naming the column, not a mistyped value', (_, sql, column) => {
    const db = withManualEntry();
    db.exec(sql);
    let error: unknown;
    try {
      listDayCheckIns(db, '2025-10-01');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(StoredRowError);
    expect(error).toMatchObject({ code: 'STORAGE_ROW_INVALID', table: 'checkins', columns: [column] });
    // Never a stored value in the message: rows hold personal data.
    expect((error as Error).message).not.toMatch(/fingerprint|gone-fishing|library_card|06139984/);
  });
});
