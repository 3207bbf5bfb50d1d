/**
 * The ORCA outbox against the mock ORCA over HTTP: check-ins completed through the check-in store (the
 * same transaction writes the 受付 request), the worker sending them, and the faults a receipt computer
 * has. Exactly once is counted on the mock's side: the acceptmodv2 registrations it received.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@kiosk/agent/clock.ts';
import type { ReceptionPerson } from '@kiosk/agent/flow/ports.ts';
import { insuranceIdentity } from '@kiosk/agent/flow/privacy.ts';
import { createOrcaReception, type OrcaReception, type OrcaSettings } from '@kiosk/agent/orca/index.ts';
import { createCheckInStore } from '@kiosk/agent/storage/checkins.ts';
import { openDatabase, type Db } from '@kiosk/agent/storage/db.ts';
import type { MockOrca } from '@kiosk/mocks/orca/index.ts';
import { capturedLogger, ORCA_PASSWORD, ORCA_USER, orcaForTest, outboxRow, registrations } from '../support/orca.ts';

const WAIT = { timeout: 10_000, interval: 20 };

/** Invented people: a 6-digit 国保 number right-aligned as the 資格確認端末 writes it. */
function person(i: number, over: Partial<ReceptionPerson> = {}): ReceptionPerson {
  return {
    name: '試験 花子',
    nameKana: 'シケン ハナコ',
    birthDate: `199001${String(i).padStart(2, '0')}`,
    sex: '2',
    insurerNumber: '  138057',
    symbol: '12',
    number: String(1000 + i),
    ...over,
  };
}

interface Harness {
  orca: MockOrca;
  db: Db;
  reception: OrcaReception;
  lines: string[];
  complete(p: ReceptionPerson | undefined, newPatient: boolean): string;
  restart(): void;
  close(): Promise<void>;
}

async function harness(options: { format?: 'xml2' | 'json'; prefix?: string } = {}): Promise<Harness> {
  const mock = await orcaForTest(options);
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-orca-outbox-'));
  const { logger, lines } = capturedLogger();
  let db = openDatabase(join(dir, 'kiosk.sqlite'));
  const make = (settings: OrcaSettings) => {
    const reception = createOrcaReception(settings, { db, clock: systemClock, logger });
    return { reception, store: createCheckInStore(db, { reception: reception.sink }) };
  };
  let { reception, store } = make(mock.settings);
  reception.start();
  let n = 0;
  const h: Harness = {
    orca: mock.orca,
    get db() {
      return db;
    },
    get reception() {
      return reception;
    },
    lines,
    complete(p, newPatient) {
      const sessionId = `s${++n}`;
      const at = new Date();
      store.beginCheckIn({ sessionId, startedAt: at, origin: 'card' });
      const identityKey = p?.number ? store.subjectKey('insurance', insuranceIdentity({ ...p, number: p.number })) : undefined;
      const done = store.completeCheckIn(sessionId, { at, newPatient, ...(identityKey ? { identityKey } : {}), ...(p ? { person: p } : {}) });
      if (!done.ok) throw new Error(done.error.code);
      return sessionId;
    },
    /** A new agent on the same database: what the old one kept in memory is gone. */
    restart() {
      void reception.stop();
      db.close();
      db = openDatabase(join(dir, 'kiosk.sqlite'));
      ({ reception, store } = make(mock.settings));
      reception.start();
    },
    async close() {
      await reception.stop();
      db.close();
      await mock.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

const sent = (h: Harness, sessionId: string) => expect.poll(() => outboxRow(h.db, sessionId)?.state, WAIT).toBe('sent');
const acceptancesOf = (orca: MockOrca, patientId: string | null | undefined) => orca.acceptances.filter((a) => a.patientId === patientId);

let h: Harness;
afterEach(async () => {
  await h.close();
  // The password is in no log line and in no message the outbox kept.
  const base64 = Buffer.from(`${ORCA_USER}:${ORCA_PASSWORD}`).toString('base64');
  const messages = (h.db.open ? (h.db.prepare('SELECT message FROM orca_outbox').all() as { message: string | null }[]) : []).map((r) => r.message ?? '');
  for (const text of [...h.lines, ...messages]) {
    expect(text).not.toContain(ORCA_PASSWORD);
    expect(text).not.toContain(base64);
  }
});

describe('ORCA outbox (xml2)', () => {
  beforeEach(async () => {
    h = await harness();
  });

  it('first visit: registers the new patient once and sends one 受付 with the matching insurance combination', async () => {
    const s1 = h.complete(person(1), true);
    await sent(h, s1);
    expect(h.orca.patients).toHaveLength(1);
    expect(h.orca.patients[0]).toMatchObject({
      kana: 'シケン\u3000ハナコ',
      birthDate: '1990-01-01',
      insurances: [{ insurerNumber: '138057', number: '１００１' }],
    });
    expect(h.orca.requests.filter((r) => r.api === 'patientmodv2')).toHaveLength(1);
    expect(acceptancesOf(h.orca, h.orca.patients[0]!.patientId)).toMatchObject([{ combination: '0001', department: '01', physician: '10001' }]);
    expect(outboxRow(h.db, s1)).toMatchObject({ patient_id: h.orca.patients[0]!.patientId, acceptance_id: h.orca.acceptances[0]!.acceptanceId });
    // Nothing personal in the database: ORCA's numbers and the outbox state only.
    const dump = JSON.stringify([h.db.prepare('SELECT * FROM orca_outbox').all(), h.db.prepare('SELECT * FROM orca_patients').all()]);
    for (const personal of ['ハナコ', '花子', '19900101', '1990-01-01', '1001', '138057']) expect(dump).not.toContain(personal);
  });

  it('returning patient: one more 受付 for the same 患者番号, from the remembered mapping (no search, no registration)', async () => {
    await sent(h, h.complete(person(2), true));
    const patientId = h.orca.patients[0]!.patientId;
    h.orca.finishVisits();
    const searches = h.orca.requests.filter((r) => r.api === 'patientlst3v2').length;
    await sent(h, h.complete(person(2), false));
    expect(acceptancesOf(h.orca, patientId)).toHaveLength(2);
    expect(h.orca.requests.filter((r) => r.api === 'patientmodv2')).toHaveLength(1);
    expect(h.orca.requests.filter((r) => r.api === 'patientlst3v2')).toHaveLength(searches);
  });

  it('ORCA stopped while patients check in, then started: every 受付 arrives exactly once, in order', async () => {
    await h.orca.stop();
    const sessions = [3, 4, 5].map((i) => h.complete(person(i), true));
    await expect.poll(() => outboxRow(h.db, sessions[0]!)?.message ?? '', WAIT).toContain('cannot be reached');
    expect(sessions.map((s) => outboxRow(h.db, s)?.state)).toEqual(['pending', 'pending', 'pending']);
    await h.orca.start();
    for (const s of sessions) await sent(h, s);
    expect(h.orca.acceptances.map((a) => a.acceptanceId)).toEqual(sessions.map((s) => outboxRow(h.db, s)!.acceptance_id));
    expect(h.orca.acceptances.map((a) => h.orca.patients.find((p) => p.patientId === a.patientId)?.birthDate)).toEqual([
      '1990-01-03',
      '1990-01-04',
      '1990-01-05',
    ]);
    expect(registrations(h.orca)).toBe(3);
    expect(h.orca.patients).toHaveLength(3);
  });

  it.each([
    ['bad credentials', 'unauthorized', undefined, 'HTTP 401'],
    ['HTTP 5xx', 'error-5xx', ['acceptmodv2'], 'HTTP 503'],
    ['malformed XML', 'malformed', ['acceptmodv2'], 'not xml2'],
    ['ORCA busy (90)', 'busy', ['acceptmodv2'], '90'],
  ] as const)('%s: the 受付 is kept and retried, then sent exactly once', async (_name, fault, apis, shown) => {
    await sent(h, h.complete(person(6), true));
    h.orca.finishVisits();
    h.orca.setFault(fault, apis ? { apis: [...apis] } : {});
    const s = h.complete(person(6), false);
    await expect.poll(() => outboxRow(h.db, s)?.message ?? '', WAIT).toContain(shown);
    expect(outboxRow(h.db, s)?.state).toBe('pending');
    h.orca.setFault('none');
    await sent(h, s);
    expect(acceptancesOf(h.orca, h.orca.patients[0]!.patientId)).toHaveLength(2);
  });

  it('a timeout after ORCA accepted: the 受付一覧 shows it was carried out, so it is never sent again', async () => {
    await sent(h, h.complete(person(7), true));
    h.orca.finishVisits();
    const before = registrations(h.orca);
    h.orca.setFault('accept-then-timeout', { apis: ['acceptmodv2'] });
    const s = h.complete(person(7), false);
    await sent(h, s);
    expect(registrations(h.orca) - before).toBe(1);
    expect(h.orca.requests.some((r) => r.api === 'acceptlstv2')).toBe(true);
    expect(acceptancesOf(h.orca, h.orca.patients[0]!.patientId)).toHaveLength(2);
    expect(outboxRow(h.db, s)?.acceptance_id).toBe(h.orca.acceptances.at(-1)!.acceptanceId);
  });

  it('several ORCA patients match: a staff item with their 患者番号 only, no 受付, no registration; resend with the one chosen', async () => {
    const p = person(8);
    const insurance = { combination: '0001', insurerNumber: '138057', symbol: '１２', number: '１００８' };
    const a = h.orca.addPatient({ name: '試験　花子', kana: 'シケン　ハナコ', birthDate: '1990-01-08', sex: '2', insurances: [insurance] });
    const b = h.orca.addPatient({ name: '試験　花子', kana: 'シケン　ハナコ', birthDate: '1990-01-08', sex: '2', insurances: [insurance] });
    const s = h.complete(p, true);
    await expect.poll(() => outboxRow(h.db, s)?.state, WAIT).toBe('attention');
    expect(outboxRow(h.db, s)).toMatchObject({ reason: 'choose-patient', candidates: JSON.stringify([a.patientId, b.patientId]) });
    expect(h.orca.acceptances).toHaveLength(0);
    expect(h.orca.requests.filter((r) => r.api === 'patientmodv2')).toHaveLength(0);
    expect(h.reception.desk.states([s]).get(s)).toEqual({
      state: 'attention',
      reason: 'choose-patient',
      candidates: [a.patientId, b.patientId],
      actions: ['orca-resend', 'orca-cancel'],
    });

    expect(h.reception.desk.resend(s, b.patientId)).toEqual({ ok: true, value: undefined });
    await sent(h, s);
    expect(acceptancesOf(h.orca, b.patientId)).toHaveLength(1);
    // Remembered: the next visit goes to the chosen patient directly.
    h.orca.finishVisits();
    await sent(h, h.complete(p, false));
    expect(acceptancesOf(h.orca, b.patientId)).toHaveLength(2);
    expect(acceptancesOf(h.orca, a.patientId)).toHaveLength(0);
  });

  it('a name match with other insurance is a staff decision, not a new registration', async () => {
    const other = h.orca.addPatient({ name: '試験　花子', kana: 'シケン　ハナコ', birthDate: '1990-01-09', sex: '2', insurances: [] });
    const s = h.complete(person(9), true);
    await expect.poll(() => outboxRow(h.db, s)?.state, WAIT).toBe('attention');
    expect(outboxRow(h.db, s)).toMatchObject({ reason: 'choose-patient', candidates: JSON.stringify([other.patientId]) });
    expect(h.orca.patients).toHaveLength(1);
  });

  it('a patient the kiosk did not register as new and ORCA does not know: 要確認, never registered', async () => {
    const s = h.complete(person(10), false);
    await expect.poll(() => outboxRow(h.db, s)?.reason, WAIT).toBe('patient-not-found');
    expect(h.orca.patients).toHaveLength(0);
    expect(h.reception.desk.resend(h.complete(person(11), false), undefined).ok).toBe(false); // not (yet) in attention
  });

  it('cancel: a sent 受付 is cancelled in ORCA (Request_Number 02); one not sent yet is simply not sent', async () => {
    const s = h.complete(person(12), true);
    await sent(h, s);
    expect(h.reception.desk.cancel(s).ok).toBe(true);
    await expect.poll(() => outboxRow(h.db, s)?.state, WAIT).toBe('cancelled');
    expect(h.orca.acceptances).toHaveLength(0);
    expect(h.orca.requests.filter((r) => r.api === 'acceptmodv2' && r.kind === '02')).toHaveLength(1);
    expect(h.reception.desk.cancel(s)).toMatchObject({ ok: false, error: { code: 'INPUT_NOT_ALLOWED_NOW' } });

    await h.orca.stop();
    const waiting = h.complete(person(13), true);
    expect(h.reception.desk.cancel(waiting).ok).toBe(true);
    await expect.poll(() => outboxRow(h.db, waiting)?.state, WAIT).toBe('cancelled');
    await h.orca.start();
    expect(registrations(h.orca)).toBe(1);
  });

  it('restart: a 受付 whose patient ORCA number is known is sent; one that still needed the personal data becomes 要確認', async () => {
    await sent(h, h.complete(person(14), true));
    h.orca.finishVisits();
    await h.orca.stop();
    const known = h.complete(person(14), false);
    const unknown = h.complete(person(15), true);
    await expect.poll(() => outboxRow(h.db, known)?.message ?? '', WAIT).toContain('cannot be reached');
    h.restart();
    await h.orca.start();
    await sent(h, known);
    await expect.poll(() => outboxRow(h.db, unknown)?.reason, WAIT).toBe('patient-unknown');
    expect(h.orca.patients).toHaveLength(1);
    expect(acceptancesOf(h.orca, h.orca.patients[0]!.patientId)).toHaveLength(2);
  });
});

describe('ORCA outbox (JSON, WebORCA /api prefix)', () => {
  beforeEach(async () => {
    h = await harness({ format: 'json', prefix: '/api' });
  });

  it('registers, sends and recognises the returning patient in JSON', async () => {
    await sent(h, h.complete(person(16), true));
    h.orca.finishVisits();
    await sent(h, h.complete(person(16), false));
    expect(h.orca.requests.every((r) => r.format === 'json')).toBe(true);
    expect(h.orca.patients).toHaveLength(1);
    expect(h.orca.acceptances).toHaveLength(2);
  });
});
