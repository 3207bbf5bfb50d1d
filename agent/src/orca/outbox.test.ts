import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/db.ts';
import { StoredRowError } from '../storage/rows.ts';
import { createOutbox } from './outbox.ts';

const row = { sessionId: 's1', createdAt: '2026-12-03T00:00:00.000Z', acceptDate: '2026-12-03', acceptTime: '09:00:00', newPatient: true, identityKey: 'k1' };

describe('the ORCA outbox reads typed rows', () => {
  it('a row as written comes back typed', () => {
    const outbox = createOutbox(openDatabase(':memory:'));
    outbox.insert(row);
    expect(outbox.get('s1')).toMatchObject({ sessionId: 's1', state: 'pending', newPatient: true, inDoubt: false, attempts: 0, candidates: [] });
    const id = outbox.get('s1')!.id;
    expect(outbox.update(id, ['pending'], { state: 'attention', candidates: ['00012', '00013'] })).toBe(true);
    expect(outbox.next()).toBeUndefined(); // attention is not work for the worker
    expect(outbox.ofSessions(['s1'])[0]).toMatchObject({ state: 'attention', candidates: ['00012', '00013'] });
  });

  it('a row not as the schema says is a StoredRowError naming the columns, never a mistyped value', () => {
    const db = openDatabase(':memory:');
    const outbox = createOutbox(db);
    outbox.insert(row);
    db.prepare("UPDATE orca_outbox SET reason = 'made-up', candidates = 'not json' WHERE session_id = 's1'").run();
    expect(() => outbox.get('s1')).toThrow(StoredRowError);
    expect(() => outbox.get('s1')).toThrow(/orca_outbox .*reason, candidates/);
  });
});
