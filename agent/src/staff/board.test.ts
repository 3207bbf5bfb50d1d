import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { agentError, STAFF_REASONS, StaffBoardSchema, type DriverStatus, type ReaderInfo, type StaffBoard, type StaffReason } from '@kiosk/protocol';
import { fixedClock } from '../clock.ts';
import { createCheckInStore } from '../storage/checkins.ts';
import { openDatabase } from '../storage/db.ts';
import { createStaffBoard, systemAlerts } from './board.ts';
import { createFakeFlow } from './staff.test-support.ts';

const since = '2026-11-22T09:00:00.000+09:00';
const reader = (name: string, driver: ReaderInfo['driver'], state: ReaderInfo['state']): ReaderInfo => ({ name, driver, state });
const kinds = (status: DriverStatus) => systemAlerts(status, since).map((alert) => alert.kind);

describe('reader and terminal alerts', () => {
  it('none while everything works', () => {
    expect(kinds({ driver: 'pcsc', service: 'ok', readers: [reader('ACR39U', 'pcsc', 'empty')] })).toEqual([]);
  });

  it('a card reader service down, or a 資格確認端末 down, by the driver that reports it', () => {
    expect(kinds({ driver: 'pcsc', service: 'unavailable', readers: [] })).toEqual(['reader-down']);
    expect(kinds({ driver: 'oqs', service: 'unavailable', readers: [] })).toEqual(['terminal-down']);
  });

  it('with pcsc+oqs, tells which part is down while the other keeps the kiosk running', () => {
    const both = (pcsc: ReaderInfo['state'], oqs: ReaderInfo['state'], service: DriverStatus['service'] = 'ok'): DriverStatus => ({
      driver: 'pcsc+oqs',
      service,
      readers: [reader('ACR39U', 'pcsc', pcsc), reader('oqs service', 'oqs', oqs)],
    });
    expect(kinds(both('present', 'unavailable'))).toEqual(['terminal-down']);
    expect(kinds(both('unavailable', 'present'))).toEqual(['reader-down']);
    expect(kinds(both('unavailable', 'unavailable', 'unavailable')).sort()).toEqual(['reader-down', 'terminal-down']);
  });

  it('no reader plugged into a working PC/SC service', () => {
    expect(kinds({ driver: 'pcsc', service: 'ok', readers: [] })).toEqual(['no-reader']);
  });
});

/** A board over an in-memory database and a flow the test drives; `checkIn` begins one more session. */
function setUp() {
  const db = openDatabase(':memory:');
  const store = createCheckInStore(db);
  const flow = createFakeFlow();
  const clock = fixedClock('2026-11-22T10:00:00+09:00');
  const board = createStaffBoard({ flow, db, clock });
  let started = 0;
  const checkIn = () => store.beginCheckIn({ sessionId: `s${++started}`, startedAt: clock.now(), origin: 'card' });
  return { db, store, flow, clock, board, checkIn };
}

describe('publishing the board', () => {
  it('reads the records only while someone watches', async () => {
    const { db, flow, board, checkIn } = setUp();
    let reads = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      if (sql.includes('FROM checkins c')) reads += 1;
      return prepare(sql);
    }) as typeof db.prepare;

    checkIn();
    flow.set({ step: 'welcome' });
    await nextTurn();
    expect(reads).toBe(0);

    const seen: StaffBoard[] = [];
    const stop = board.subscribe((next) => seen.push(next));
    flow.set({ step: 'welcome' });
    await nextTurn();
    expect(reads).toBe(1);
    expect(seen.map((b) => b.queue.length)).toEqual([1]);
    stop();
    flow.set({ step: 'welcome' });
    await nextTurn();
    expect(reads).toBe(1);
    board.close();
  });

  it('tells a new watcher a change back to the board it last published while nobody watched', async () => {
    const { flow, board } = setUp();
    const seen: string[] = [];
    let stop = board.subscribe((next) => seen.push(next.kiosk.step));
    flow.set({ step: 'welcome' });
    await nextTurn();
    stop();
    flow.set({ sessionId: 's1', step: 'pin' });
    // A console connecting now is sent the current board at once (namespace), then only changes.
    stop = board.subscribe((next) => seen.push(next.kiosk.step));
    seen.push(board.board().kiosk.step);
    flow.set({ sessionId: null, step: 'welcome' });
    await nextTurn();
    expect(seen).toEqual(['welcome', 'pin', 'welcome']);
    stop();
    board.close();
  });
});

describe('an alert for every reason the flow sends a patient to staff', () => {
  // The issue's list, by the reason code the flow uses; the console shows the code as the alert's label.
  const ISSUE_SITUATIONS: Record<string, StaffReason> = {
    'PIN locked': 'pin-blocked',
    'two wrong PINs': 'pin-failures',
    'face failed → 目視': 'face-failed',
    'not a My Number card': 'not-my-number-card',
    'certificate expired': 'certificate-expired',
    'eligibility invalid': 'eligibility-invalid',
    'eligibility not found': 'eligibility-not-found',
    'eligibility multiple': 'eligibility-multiple',
    'call staff': 'patient-request',
  };

  it('the issue list is covered by the protocol reasons', () => {
    expect(STAFF_REASONS).toEqual(expect.arrayContaining(Object.values(ISSUE_SITUATIONS)));
  });

  const alertOf = (board: StaffBoard, sessionId: string) => {
    expect(StaffBoardSchema.parse(board)).toEqual(board);
    return board.alerts.filter((a) => a.sessionId === sessionId);
  };

  it.each(STAFF_REASONS)('%s: live at the kiosk, after the staff-needed event, and from the records', (reason) => {
    const { db, store, flow, clock, board } = setUp();
    const sessionId = `s-${reason}`;
    const since = clock.now().toISOString();
    store.beginCheckIn({ sessionId, startedAt: clock.now(), origin: 'card' });

    // The patient waits at the staff screen: a live alert staff can take over.
    flow.set({ sessionId, step: 'staff', staff: { reason, since } }, { type: 'staff-needed', sessionId, reason });
    expect(alertOf(board.board(), sessionId)).toEqual([
      { id: `session:${sessionId}`, kind: reason, sessionId, since, live: true, actions: ['desk-entry', 'take-over', 'dismiss'] },
    ]);

    // The kiosk has moved on (the record is still in progress): the event keeps the alert.
    flow.set({ sessionId: null, step: 'welcome', staff: undefined });
    expect(alertOf(board.board(), sessionId)).toEqual([expect.objectContaining({ kind: reason, live: false, actions: ['desk-entry', 'dismiss'] })]);
    board.close();

    // A board started later (after a restart of the console) has only the records to go on.
    expect(store.endCheckIn(sessionId, { status: 'staff', at: clock.now(), staffReason: reason }).ok).toBe(true);
    const later = createStaffBoard({ flow, db, clock });
    expect(alertOf(later.board(), sessionId)).toEqual([expect.objectContaining({ kind: reason, live: false })]);
    later.close();
  });

  it('the two screens the flow keeps at the kiosk raise a live alert too: not a My Number card, certificate expired', () => {
    const { flow, board } = setUp();
    const kindNow = () => alertOf(board.board(), 's1').map((a) => a.kind);
    flow.set({ sessionId: 's1', step: 'error', error: agentError('CARD_NOT_MYNUMBER') });
    expect(kindNow()).toEqual(['not-my-number-card']);
    flow.set({ sessionId: 's1', step: 'error', error: agentError('CARD_REMOVED') });
    expect(kindNow()).toEqual([]);
    flow.set({ sessionId: 's1', step: 'fallback', error: undefined, fallback: { reason: 'certificate-expired', documents: [] } });
    expect(kindNow()).toEqual(['certificate-expired']);
    flow.set({ sessionId: 's1', step: 'fallback', fallback: { reason: 'patient-choice', documents: [] } });
    expect(kindNow()).toEqual([]);
    board.close();
  });

  it('the manual path raises a live alert once the patient is told to bring their documents to the desk', () => {
    const { flow, board } = setUp();
    const decision = {
      decision: 'accepted' as const,
      documents: ['shikaku_kakuninsho' as const],
      reasons: [],
      staffChecks: [],
      patientGuidance: 'kakuninsho-accepted' as const,
    };
    flow.set({ sessionId: 's1', step: 'fallback', fallback: { reason: 'patient-choice', documents: [] } });
    expect(alertOf(board.board(), 's1')).toEqual([]);
    flow.set({ sessionId: 's1', step: 'fallback', fallback: { reason: 'patient-choice', documents: ['shikaku_kakuninsho'], decision } });
    expect(alertOf(board.board(), 's1')).toEqual([expect.objectContaining({ kind: 'fallback-documents', live: true })]);
    board.close();
  });

  it('drops the alert of the live session once it is back on its own steps (目視 approved): the patient goes on at the kiosk', () => {
    const { store, flow, clock, board } = setUp();
    store.beginCheckIn({ sessionId: 's1', startedAt: clock.now(), origin: 'card' });
    store.noteCheckIn('s1', { staffReason: 'pin-blocked' });
    flow.set({ sessionId: 's1', step: 'staff', staff: { reason: 'pin-blocked', since } }, { type: 'staff-needed', sessionId: 's1', reason: 'pin-blocked' });
    expect(alertOf(board.board(), 's1')).toEqual([expect.objectContaining({ kind: 'pin-blocked', live: true })]);
    flow.set({ sessionId: 's1', step: 'result', staff: undefined });
    expect(alertOf(board.board(), 's1')).toEqual([]);
    // The patient walks away unfinished: the records keep the case for the desk.
    flow.set({ sessionId: null, step: 'welcome' });
    expect(alertOf(board.board(), 's1')).toEqual([expect.objectContaining({ kind: 'pin-blocked', live: false })]);
    board.close();
  });
});

describe('the actions an alert offers', () => {
  const actionsNow = (board: ReturnType<typeof setUp>['board']) => board.board().alerts.map((a) => a.actions);

  it('are the ones the flow accepts for the live session, never a 目視 answer it would refuse', () => {
    const { flow, board } = setUp();
    flow.set({ sessionId: 's1', step: 'staff', staff: { reason: 'pin-blocked', since } });
    flow.accepts = () => ['approve-visual', 'decline-visual', 'take-over', 'completed-at-desk'];
    expect(actionsNow(board)).toEqual([['approve-visual', 'decline-visual', 'desk-entry', 'take-over', 'dismiss']]);
    flow.accepts = () => ['take-over', 'completed-at-desk'];
    expect(actionsNow(board)).toEqual([['desk-entry', 'take-over', 'dismiss']]);
    board.close();
  });

  it('while the kiosk waits for the 目視 answer: the answer, take-over and dismiss, no desk entry', () => {
    const { flow, board } = setUp();
    flow.set({ sessionId: 's1', step: 'visual-check' });
    expect(actionsNow(board)).toEqual([['approve-visual', 'decline-visual', 'take-over', 'dismiss']]);
    board.close();
  });
});

describe('the queue row', () => {
  it("keeps the documents the patient chose on the kiosk and the rules' verdict after the kiosk moved on", () => {
    const { flow, board, checkIn, store, clock } = setUp();
    checkIn();
    const decision = {
      decision: 'conditional' as const,
      documents: ['shikaku_kakuninsho' as const],
      reasons: [],
      staffChecks: [],
      patientGuidance: 'kakuninsho-accepted' as const,
    };
    flow.set({ sessionId: 's1', step: 'fallback', fallback: { reason: 'patient-choice', documents: ['shikaku_kakuninsho'], decision } });
    store.noteDocuments('s1', decision, clock.now()); // as the flow records them when it decides
    store.endCheckIn('s1', { status: 'fallback', at: clock.now() });
    flow.set({ sessionId: null, step: 'welcome', fallback: undefined });
    expect(board.board().queue).toEqual([
      expect.objectContaining({ sessionId: 's1', status: 'fallback', documents: ['shikaku_kakuninsho'], documentDecision: 'conditional' }),
    ]);
    board.close();
  });

  it('carries the patient number of a completed check-in', () => {
    const { board, checkIn, store, clock } = setUp();
    checkIn();
    expect(store.completeCheckIn('s1', { at: clock.now(), newPatient: true, patientNumber: '000042', authMethod: 'face' }).ok).toBe(true);
    expect(board.board().queue).toEqual([
      expect.objectContaining({ sessionId: 's1', status: 'completed', queueNumber: 1, patientNumber: '000042', authMethod: 'face', flags: ['new-patient'] }),
    ]);
    board.close();
  });
});
