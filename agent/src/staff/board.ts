import { ALERT_ACTIONS, QUEUE_FLAGS, type AlertAction, type FlowSnapshot } from '@kiosk/protocol';
import type { Clock } from '../clock.ts';
import { japanDate } from '../clock.ts';
import type { CheckInFlow } from '../flow/types.ts';
import type { ReceptionDesk } from '../flow/ports.ts';
import { listDayCheckIns, type DayCheckIn } from '../storage/records.ts';
import { createStaffBoardStore, type KioskDocuments } from '../storage/staff.ts';
import type { Db } from '../storage/db.ts';
import type { Alert, AlertKind, OrcaEntry, QueueEntry, QueueFlag, RulesInfo, StaffBoard } from '@kiosk/protocol';
import { reviewAlerts, type ReviewQueue } from './reviews.ts';

/**
 * The console's model: today's queue from the records, and the alerts that need a person, derived from
 * three sources: the flow's 'staff-needed' events and live snapshot, the records (sessions that ended at
 * staff or the manual path, or were interrupted by a restart), and the reader/terminal status. An alert
 * stays until its session completes, a manual entry resolves it, or staff dismiss it. With a driver
 * review queue, its open items are listed apart as `reviews` (they close when resolved in the queue).
 *
 * What it keeps (the alerts staff dismissed, the documents a patient chose on the kiosk) goes through the
 * store (storage/staff.ts).
 */

const NEEDS_PERSON: ReadonlySet<DayCheckIn['status']> = new Set(['staff', 'fallback', 'interrupted']);

export interface StaffBoardModel {
  board(): StaffBoard;
  /** Called with a fresh board whenever it changes (coalesced; identical boards are not repeated). */
  subscribe(listener: (board: StaffBoard) => void): () => void;
  /** Something outside the flow changed the records (manual entry, dismissal): recompute soon. */
  changed(): void;
  acknowledge(alertId: string, staff: string): boolean;
  close(): void;
}

const sessionAlertId = (sessionId: string) => `session:${sessionId}`;

function queueEntry(c: DayCheckIn, kiosk: KioskDocuments | undefined, orca: OrcaEntry | undefined): QueueEntry {
  const facts: Record<QueueFlag, boolean> = {
    'new-patient': c.newPatient,
    interrupted: c.interrupted,
    manual: c.origin === 'manual',
    visual: c.authMethod === 'visual',
    resolved: c.resolvedBy !== null,
  };
  const flags = QUEUE_FLAGS.filter((flag) => facts[flag]);
  const documents = c.manual ?? kiosk;
  return {
    sessionId: c.sessionId,
    status: c.status,
    origin: c.origin,
    startedAt: c.startedAt,
    ...(c.endedAt ? { endedAt: c.endedAt } : {}),
    ...(c.queueNumber ? { queueNumber: c.queueNumber } : {}),
    ...(c.authMethod ? { authMethod: c.authMethod } : {}),
    ...(c.eligibilityOutcome ? { eligibilityOutcome: c.eligibilityOutcome } : {}),
    newPatient: c.newPatient,
    ...(c.staffReason ? { staffReason: c.staffReason } : {}),
    ...(c.patientNumber ? { patientNumber: c.patientNumber } : {}),
    ...(documents && documents.documents.length > 0 ? { documents: documents.documents } : {}),
    ...(documents?.decision ? { documentDecision: documents.decision } : {}),
    flags,
    ...(orca ? { orca } : {}),
  };
}

/**
 * Reader and 資格確認端末 outages, told apart by the driver each reader belongs to, so that with
 * pcsc+oqs a terminal outage is not reported as a card reader problem (or hidden behind a working one).
 */
export function systemAlerts(reader: FlowSnapshot['reader'], since: string): Alert[] {
  const kinds = new Set<AlertKind>();
  const down = reader.readers.filter((r) => r.state === 'unavailable');
  if (down.some((r) => r.driver === 'oqs') || (reader.service === 'unavailable' && reader.driver === 'oqs')) kinds.add('terminal-down');
  if (down.some((r) => r.driver !== 'oqs') || (reader.service === 'unavailable' && reader.driver !== 'oqs')) kinds.add('reader-down');
  if (reader.service === 'ok' && reader.readers.length === 0 && reader.driver !== 'oqs') kinds.add('no-reader');
  return [...kinds].map((kind) => ({ id: `system:${kind}`, kind, sessionId: null, since, live: false, actions: [] }));
}

/**
 * What the kiosk's current screen needs from staff: the staff and 目視 screens, the two dead ends the
 * flow shows the patient without routing to staff (a card that is not a My Number card, an expired
 * certificate on the manual path), and the manual path's verdict, which sends the patient to the desk:
 * the desk must hear about each while the patient is still there.
 */
function liveAlertKind(snapshot: FlowSnapshot): AlertKind | undefined {
  if (snapshot.step === 'visual-check') return 'visual-check';
  if (snapshot.step === 'staff') return snapshot.staff?.reason ?? 'patient-request';
  if (snapshot.step === 'error' && snapshot.error?.code === 'CARD_NOT_MYNUMBER') return 'not-my-number-card';
  if (snapshot.step === 'fallback' && snapshot.fallback?.reason === 'certificate-expired') return 'certificate-expired';
  // The patient has chosen their documents and been told what to bring to the desk.
  if (snapshot.step === 'fallback' && snapshot.fallback?.decision) return 'fallback-documents';
  return undefined;
}

/**
 * Exactly what staff can do about a session's alert: on the kiosk's current session, the staff actions the
 * flow accepts now; the desk entry, which resolves any session (on the kiosk it then shows the number or
 * returns to welcome), except while the kiosk waits for the 目視 answer; and dismissing it.
 */
function actionsFor(flow: CheckInFlow, sessionId: string, live: boolean, step: FlowSnapshot['step']): AlertAction[] {
  const accepted: readonly string[] = live ? flow.acceptedStaffActions(sessionId) : [];
  const deskEntry = !(live && step === 'visual-check');
  return ALERT_ACTIONS.filter((action) => (action === 'dismiss' ? true : action === 'desk-entry' ? deskEntry : accepted.includes(action)));
}

export function createStaffBoard(deps: {
  flow: CheckInFlow;
  db: Db;
  clock: Clock;
  refreshMs?: number;
  reviews?: ReviewQueue;
  /** The rules edition, its age limit and a clinic override: the console shows them and warns on an old edition. */
  rules?: RulesInfo;
  /** Each check-in's 受付 in the receipt computer (ORCA), when the agent sends them there. */
  reception?: ReceptionDesk;
}): StaffBoardModel {
  const { flow, db, clock } = deps;
  const kept = createStaffBoardStore(db);
  /** staff-needed events seen while running, by session: the records may not carry the reason yet. */
  const raised = new Map<string, { kind: AlertKind; since: string }>();
  /** When each system alert was first seen, so its "since" does not move on every recompute. */
  const systemSince = new Map<string, string>();
  const listeners = new Set<(board: StaffBoard) => void>();
  let last = '';
  let scheduled = false;

  function alerts(snapshot: FlowSnapshot, checkIns: DayCheckIn[]): Alert[] {
    const done = kept.acknowledged();
    const bySession = new Map<string, { kind: AlertKind; since: string }>();
    for (const c of checkIns) {
      if (c.status === 'completed' || c.resolvedBy) {
        raised.delete(c.sessionId);
        continue;
      }
      if (NEEDS_PERSON.has(c.status) || c.staffReason) {
        const kind: AlertKind = c.interrupted
          ? 'agent-restarted'
          : c.staffReason
            ? c.staffReason
            : c.status === 'fallback'
              ? 'fallback-documents'
              : 'patient-request';
        bySession.set(c.sessionId, { kind, since: c.endedAt ?? c.startedAt });
      }
    }
    for (const [sessionId, alert] of raised) bySession.set(sessionId, alert);
    const liveId = snapshot.sessionId;
    const kind = liveAlertKind(snapshot);
    // Back on the kiosk's own steps (目視 approved, PIN chosen after all): the patient goes on there, nobody is needed.
    if (liveId && !kind) bySession.delete(liveId);
    if (liveId && kind) {
      bySession.set(liveId, { kind, since: snapshot.staff?.since ?? bySession.get(liveId)?.since ?? snapshot.startedAt ?? clock.now().toISOString() });
    }
    const now = clock.now().toISOString();
    const system = systemAlerts(snapshot.reader, now).map((a) => {
      const since = systemSince.get(a.id) ?? now;
      systemSince.set(a.id, since);
      return { ...a, since };
    });
    for (const id of systemSince.keys()) if (!system.some((a) => a.id === id)) systemSince.delete(id);
    const sessionAlerts = [...bySession]
      .map(([sessionId, { kind, since }]): Alert => {
        const live = sessionId === liveId;
        return { id: sessionAlertId(sessionId), kind, sessionId, since, live, actions: actionsFor(flow, sessionId, live, snapshot.step) };
      })
      .filter((a) => !done.has(a.id));
    return [...system, ...sessionAlerts.sort((a, b) => a.since.localeCompare(b.since))];
  }

  function board(): StaffBoard {
    const snapshot = flow.snapshot();
    const day = japanDate(clock.now());
    const checkIns = listDayCheckIns(db, day);
    const orca = deps.reception?.states(checkIns.map((c) => c.sessionId));
    const chosen = kept.kioskDocuments(day);
    return {
      day,
      queue: checkIns.map((c) => queueEntry(c, chosen.get(c.sessionId), orca?.get(c.sessionId))),
      alerts: alerts(snapshot, checkIns),
      reader: snapshot.reader,
      kiosk: { sessionId: snapshot.sessionId, step: snapshot.step },
      ...(deps.reviews ? { reviews: reviewAlerts(deps.reviews) } : {}),
      ...(snapshot.demo ? { demo: true as const } : {}),
      ...(deps.rules ? { rules: deps.rules } : {}),
    };
  }

  function publish(): void {
    scheduled = false;
    if (listeners.size === 0) return;
    let next: StaffBoard;
    try {
      next = board();
    } catch {
      return; // The records are unreadable right now; the next change or refresh tries again.
    }
    const text = JSON.stringify(next);
    if (text === last) return;
    last = text;
    for (const listener of listeners) listener(next);
  }

  function changed(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(publish);
  }

  const unsubscribe = flow.subscribe((snapshot, event) => {
    if (event?.type === 'staff-needed' && event.sessionId) raised.set(event.sessionId, { kind: event.reason, since: clock.now().toISOString() });
    if (event?.type === 'completed') raised.delete(event.sessionId);
    changed();
  });
  const unsubscribeReception = deps.reception?.subscribe(changed) ?? (() => {});
  // Catches what no event announces: oqs review items, the day rolling over, idle expiry.
  const timer = setInterval(changed, deps.refreshMs ?? 5000);
  timer.unref();

  return {
    board,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        // Unwatched changes were not published: the next watcher must not be told "unchanged".
        if (listeners.size === 0) last = '';
      };
    },
    changed,
    acknowledge(alertId, staff) {
      const sessionId = alertId.startsWith('session:') ? alertId.slice('session:'.length) : undefined;
      if (sessionId) raised.delete(sessionId);
      const added = kept.acknowledge(alertId, staff, clock.now());
      changed();
      return added;
    },
    close() {
      unsubscribe();
      unsubscribeReception();
      clearInterval(timer);
      listeners.clear();
    },
  };
}
