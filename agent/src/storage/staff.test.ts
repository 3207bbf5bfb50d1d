import { describe, expect, it } from 'vitest';
import { createCheckInStore } from './checkins.ts';
import { openDatabase } from './db.ts';
import { StoredRowError } from './rows.ts';
import { createStaffAccountStore, createStaffBoardStore } from './staff.ts';

const at = new Date('2025-10-01T01:00:00Z');

function board() {
  const db = openDatabase(':memory:');
  createCheckInStore(db).beginCheckIn({ sessionId: 's1', startedAt: at, origin: 'card' });
  return { db, store: createStaffBoardStore(db) };
}

describe('the staff tables read back typed', () => {
  it('keeps the documents chosen on the kiosk, the latest choice of a session, listed by the Japan day the session started', () => {
    const { store } = board();
    store.keepKioskDocuments('s1', at, { documents: ['shikaku_kakuninsho'] });
    store.keepKioskDocuments('s1', at, { documents: ['shikaku_kakuninsho'], decision: 'accepted' });
    expect(store.kioskDocuments('2025-10-01')).toEqual(new Map([['s1', { documents: ['shikaku_kakuninsho'], decision: 'accepted' }]]));
    expect(store.kioskDocuments('2025-10-02').size).toBe(0);
  });

  it('a stored document this release does not know is a typed error, not a mistyped list', () => {
    const { db, store } = board();
    store.keepKioskDocuments('s1', at, { documents: ['shikaku_kakuninsho'] });
    db.exec(`UPDATE staff_kiosk_documents SET documents = '["library_card"]'`);
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
