import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './db.ts';
import { createCheckInStore } from './checkins.ts';
import type { ReceptionItem, ReceptionSink } from '../flow/ports.ts';

const t0 = new Date('2026-11-22T01:00:00Z');

describe('check-in store', () => {
  it('hands a completion to the reception sink inside its transaction: a sink that fails rolls the completion back', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE outbox (session_id TEXT PRIMARY KEY)');
    const seen: ReceptionItem[] = [];
    let broken = false;
    const reception: ReceptionSink = {
      enqueue(item) {
        db.prepare('INSERT INTO outbox (session_id) VALUES (?)').run(item.sessionId);
        if (broken) throw new Error('disk full');
        seen.push(item);
      },
    };
    const store = createCheckInStore(db, { reception });
    store.beginCheckIn({ sessionId: 'a', startedAt: t0, origin: 'card' });
    const person = { name: '試験 太郎', birthDate: '19800401', insurerNumber: '06139992', number: '1' };
    expect(store.completeCheckIn('a', { at: t0, newPatient: true, identityKey: 'k', person }).ok).toBe(true);
    expect(seen).toEqual([{ sessionId: 'a', at: t0, newPatient: true, identityKey: 'k', person }]);

    broken = true;
    store.beginCheckIn({ sessionId: 'b', startedAt: t0, origin: 'card' });
    expect(store.completeCheckIn('b', { at: t0, newPatient: false })).toMatchObject({ ok: false, error: { code: 'STORAGE_UNAVAILABLE' } });
    const rows = db.prepare('SELECT session_id, status FROM checkins ORDER BY session_id').all();
    expect(rows).toEqual([
      { session_id: 'a', status: 'completed' },
      { session_id: 'b', status: 'in-progress' },
    ]);
    expect(db.prepare('SELECT session_id FROM outbox').all()).toEqual([{ session_id: 'a' }]);
    broken = false;
    expect(store.completeCheckIn('b', { at: t0, newPatient: false })).toEqual({ ok: true, value: { queueNumber: 2 } }); // number 2 was not consumed
  });

  it('issues queue numbers per Japan day, starting at 1 again the next day', () => {
    const store = createCheckInStore(openDatabase(':memory:'));
    const complete = (id: string, at: Date) => {
      store.beginCheckIn({ sessionId: id, startedAt: at, origin: 'card' });
      const done = store.completeCheckIn(id, { at, newPatient: false });
      return done.ok ? done.value.queueNumber : done.error.code;
    };
    expect(complete('a', t0)).toBe(1);
    expect(complete('b', t0)).toBe(2);
    expect(complete('c', new Date('2026-11-22T14:59:59Z'))).toBe(3); // 23:59:59 JST, same day
    expect(complete('d', new Date('2026-11-22T15:00:00Z'))).toBe(1); // 00:00 JST next day
    expect(store.completeCheckIn('a', { at: t0, newPatient: false }).ok).toBe(false); // already completed: no number consumed
    expect(complete('e', new Date('2026-11-22T15:00:01Z'))).toBe(2);
  });

  it('keys consents and patients by salted hashes and finds consents within the window', () => {
    const db = openDatabase(':memory:');
    const store = createCheckInStore(db);
    const key = store.subjectKey('certificate', '0a1b2c');
    expect(key).not.toContain('0a1b2c');
    expect(createCheckInStore(openDatabase(':memory:')).subjectKey('certificate', '0a1b2c')).not.toBe(key); // per-installation salt
    store.recordConsent({ sessionId: 's', subjectKey: key, given: { medication: true, checkup: false }, recordedAt: t0, source: 'kiosk' });
    expect(store.findConsent(key, new Date(t0.getTime() - 1))).toEqual({ ok: true, value: { given: { medication: true, checkup: false }, recordedAt: t0 } });
    expect(store.findConsent(key, new Date(t0.getTime() + 1))).toEqual({ ok: true, value: null });
    const first = store.registerPatient({ identityKey: 'k1', at: t0 });
    const again = store.registerPatient({ identityKey: 'k1', at: t0 });
    const second = store.registerPatient({ identityKey: 'k2', at: t0, phone: '090-0000-0000' });
    expect([first, again, second].map((r) => r.ok && r.value.patientNumber)).toEqual(['000001', '000001', '000002']);
    expect(store.findPatient('k2')).toEqual({ ok: true, value: { patientNumber: '000002' } });
    expect(JSON.stringify(db.prepare('SELECT * FROM consents').all())).not.toContain('0a1b2c');
  });

  it('marks sessions left in progress as interrupted, survives reopening, and reports write failures as values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkins-'));
    try {
      const path = join(dir, 'agent.db');
      const first = createCheckInStore(openDatabase(path));
      first.beginCheckIn({ sessionId: 'open', startedAt: t0, origin: 'card' });
      first.beginCheckIn({ sessionId: 'ended', startedAt: t0, origin: 'manual' });
      first.endCheckIn('ended', { status: 'staff', at: t0, reason: 'take-over', staffReason: 'fallback-documents' });
      const db = openDatabase(path);
      const reopened = createCheckInStore(db);
      expect(reopened.markInterrupted(t0)).toEqual({ ok: true, value: ['open'] });
      expect(db.prepare('SELECT session_id, status, interrupted, staff_reason FROM checkins ORDER BY session_id').all()).toEqual([
        { session_id: 'ended', status: 'staff', interrupted: 0, staff_reason: 'fallback-documents' },
        { session_id: 'open', status: 'interrupted', interrupted: 1, staff_reason: null },
      ]);
      expect(reopened.beginCheckIn({ sessionId: 'open', startedAt: t0, origin: 'card' })).toMatchObject({ ok: false, error: { code: 'STORAGE_UNAVAILABLE' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
