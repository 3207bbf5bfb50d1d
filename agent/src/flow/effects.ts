/**
 * The flow's side effects on the check-in store. Writes are synchronous (better-sqlite3) and durable
 * before the patient sees the result; the machine runs those whose answer decides the next step as
 * actors (a failed one routes to staff with STORAGE_UNAVAILABLE instead of pretending the check-in was
 * saved), and notes for staff as actions.
 */
import { ok, type Result } from '@kiosk/protocol';
import type { EligibilityResult, ConsentAnswers } from './ports.ts';
import type { FlowDeps } from './deps.ts';
import type { EligibilityFound } from './decisions.ts';
import { insuranceIdentity } from './privacy.ts';
import type { Session } from './context.ts';

/** The one insured person of a valid result, the only one the receipt computer may be told about. */
function onePerson(eligibility: EligibilityResult | undefined) {
  return eligibility?.outcome === 'valid' && eligibility.people.length === 1 ? eligibility.people[0] : undefined;
}

export function createEffects(deps: FlowDeps) {
  const { store, clock, config, logger } = deps;

  /** A write the check-in depends on: a failure is logged here, and the machine hands over to staff. */
  const written = <T>(session: Session, result: Result<T>): Result<T> => {
    if (!result.ok) logger.error({ code: result.error.code, sessionId: session.id }, 'check-in store write failed');
    return result;
  };

  /** Writes that may fail without stopping the patient (facts for staff); failures are logged. */
  const note = (result: Result<unknown>, what: string) => {
    if (!result.ok) logger.warn({ code: result.error.code }, `check-in store: ${what} not saved`);
  };

  return {
    begin(session: Session): Result<void> {
      return written(session, store.beginCheckIn({ sessionId: session.id, startedAt: session.startedAt, origin: session.origin }));
    },

    recordConsent(session: Session, given: ConsentAnswers, source: 'kiosk' | 'reader'): Result<Session> {
      const recordedAt = clock.now();
      const recorded = session.subjectKey
        ? written(session, store.recordConsent({ sessionId: session.id, subjectKey: session.subjectKey, given, recordedAt, source }))
        : ok(undefined);
      return recorded.ok ? ok({ ...session, consent: { offered: session.consent?.offered ?? [], ...session.consent, given, recordedAt } }) : recorded;
    },

    savePatient(session: Session, phone: string | undefined): Result<Session> {
      if (!session.identityKey) return ok(session);
      const saved = written(session, store.registerPatient({ identityKey: session.identityKey, at: clock.now(), ...(phone ? { phone } : {}) }));
      if (!saved.ok) return saved;
      const person = session.eligibility?.people[0];
      if (deps.registerReferenceNumber && person) {
        // The 照会番号 request is a convenience for later face results; failing it does not stop the check-in.
        void deps.registerReferenceNumber({ patientNumber: saved.value.patientNumber, person }).then(
          (r) => note(r, '照会番号 registration'),
          () => logger.warn('照会番号 registration threw'),
        );
      }
      return ok({ ...session, patientNumber: saved.value.patientNumber });
    },

    complete(session: Session): Result<Session> {
      const person = onePerson(session.eligibility);
      const done = written(
        session,
        store.completeCheckIn(session.id, {
          at: clock.now(),
          ...(session.authMethod ? { authMethod: session.authMethod } : {}),
          ...(session.eligibility ? { eligibilityOutcome: session.eligibility.outcome } : {}),
          newPatient: session.isNewPatient === true,
          ...(session.patientNumber ? { patientNumber: session.patientNumber } : {}),
          ...(session.identityKey ? { identityKey: session.identityKey } : {}),
          ...(person ? { person } : {}),
        }),
      );
      return done.ok ? ok({ ...session, queueNumber: done.value.queueNumber }) : done;
    },

    noteStaff(session: Session): void {
      if (session.staff) note(store.noteCheckIn(session.id, { staffReason: session.staff.reason }), 'staff reason');
    },

    /** What the patient chose on the manual path, for the desk (a failed write only loses it from the board). */
    noteDocuments(session: Session): void {
      const decision = session.fallback?.decision;
      if (decision) note(store.noteDocuments(session.id, decision, clock.now()), 'documents');
    },

    noteAuthAndOutcome(session: Session): void {
      note(
        store.noteCheckIn(session.id, {
          ...(session.authMethod ? { authMethod: session.authMethod } : {}),
          ...(session.eligibility ? { eligibilityOutcome: session.eligibility.outcome } : {}),
        }),
        'authentication/eligibility',
      );
    },

    /** The session is over; `onManualPath`: it ended on the manual path's first screen. */
    end(session: Session, reason: string, onManualPath: boolean): void {
      const status = session.fallback?.decision || onManualPath ? 'fallback' : session.staff ? 'staff' : 'abandoned';
      note(store.endCheckIn(session.id, { status, at: clock.now(), reason, ...(session.staff ? { staffReason: session.staff.reason } : {}) }), 'session end');
    },

    /** Adds the record-derived facts to an eligibility result: salted keys, known patient, a consent < 24 h old. */
    enrich(eligibility: EligibilityResult, certificateSerial?: string): EligibilityFound {
      const person = onePerson(eligibility);
      const identityKey = person ? store.subjectKey('insurance', insuranceIdentity(person)) : undefined;
      const subjectKey = certificateSerial ? store.subjectKey('certificate', certificateSerial) : identityKey;
      const known = identityKey ? store.findPatient(identityKey) : undefined;
      const since = new Date(clock.now().getTime() - config.consentValidityMs);
      const prior = subjectKey ? store.findConsent(subjectKey, since) : undefined;
      return {
        eligibility,
        ...(subjectKey ? { subjectKey } : {}),
        ...(identityKey ? { identityKey } : {}),
        ...(known?.ok && known.value ? { knownPatientNumber: known.value.patientNumber } : {}),
        ...(prior?.ok && prior.value ? { priorConsent: prior.value } : {}),
      };
    },
  };
}

export type FlowEffects = ReturnType<typeof createEffects>;
