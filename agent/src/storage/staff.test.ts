import { describe, expect, it } from 'vitest';
import type { DocumentDecision } from '@kiosk/protocol';
import { createCheckInStore } from './checkins.ts';
import { openDatabase } from './db.ts';
import { StoredRowError } from './rows.ts';
import { createStaffAccountStore, createStaffBoardStore } from './staff.ts';

const at = new Date('2025-10-01T01:00:00Z');

/** A decision of the document rules on what the patient chose (only the documents and the verdict are kept). */
const decided = (decision: 'accepted' | 'conditional'): DocumentDecision => ({
  decision,
  documents: ['shikaku_kakuninsho'],
  reasons: [],
  staffChecks: [],
  patientGuidance: 'kakuninsho-accepted',
});

function board() {
  const db = openDatabase(':memory:');
  const checkIns = createCheckInStore(db);
  checkIns.beginCheckIn({ sessionId: 's1', startedAt: at, origin: 'card' });
  return { db, checkIns, store: createStaffBoardStore(db) };
}

describe('the staff tables read back typed', () => {
  it('keeps the documents chosen on the kiosk, the latest choice of a session, listed by the Japan day the session started', () => {
    const { store, checkIns } = board();
    checkIns.noteDocuments('s1', decided('conditional'), at);
    checkIns.noteDocuments('s1', decided('accepted'), at);
    expect(store.kioskDocuments('2025-10-01')).toEqual(new Map([['s1', { documents: ['shikaku_kakuninsho'], decision: 'accepted' }]]));
    expect(store.kioskDocuments('2025-10-02').size).toBe(0);
  });

  it('a stored document this release does not know is a typed error, not a mistyped list', () => {
    const { db, store, checkIns } = board();
    checkIns.noteDocuments('s1', decided('accepted'), at);
    db.exec(`UPDATE checkin_documents SET documents = '["library_card"]'`);
    expect(() => store.kioskDocuments('2025-10-01')).toThrow(StoredRowError);
  });

  it('a dismissal is recorded once', () => {
    const { store } = board();
    expect(store.acknowledge('session:s1', 'desk1', at)).toBe(true);
    expect(store.acknowledge('session:s1', 'desk2', at)).toBe(false);
    expect(store.acknowledged()).toEqual(new Set(['session:s1']));
  });

  it('accounts: a taken name is told apart, a disabled account has no password hash', () => {
    const db = openDatabase(':memory:');
    const accounts = createStaffAccountStore(db);
    expect(accounts.insert('desk1', 'h1', at)).toBe('added');
    expect(accounts.insert('desk1', 'h2', at)).toBe('exists');
    expect(accounts.passwordHash('desk1')).toBe('h1');
    db.exec("UPDATE staff_accounts SET disabled = 1 WHERE username = 'desk1'");
    expect(accounts.passwordHash('desk1')).toBeUndefined();
    expect(accounts.list()).toEqual([{ username: 'desk1', createdAt: at.toISOString() }]);
    expect(accounts.count()).toBe(1);
  });
});
