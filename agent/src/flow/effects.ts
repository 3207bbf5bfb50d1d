/**
 * The flow's side effects on the check-in store, each returning the session's next state. Writes are
 * synchronous (better-sqlite3) and durable before the patient sees the result; a failed write routes
 * to staff with STORAGE_UNAVAILABLE instead of pretending the check-in was saved.
 */
import { agentError, type Result } from '@kiosk/protocol';
import type { EligibilityResult, ConsentAnswers } from './ports.ts';
import type { FlowDeps } from './deps.ts';
import { toStaff, type EligibilityFound } from './decisions.ts';
import { insuranceIdentity } from './privacy.ts';
import type { Session } from './context.ts';

/** The one insured person of a valid result, the only one the receipt computer may be told about. */
function onePerson(eligibility: EligibilityResult | undefined) {
  return eligibility?.outcome === 'valid' && eligibility.people.length === 1 ? eligibility.people[0] : undefined;
}

export function createEffects(deps: FlowDeps) {
  const { store, clock, config, logger } = deps;

  const storageFailed = (session: Session, result: Result<unknown>): Session | undefined => {
    if (result.ok) return undefined;
    logger.error({ code: result.error.code, sessionId: session.id }, 'check-in store write failed');
    return toStaff(session, 'storage-unavailable', clock.now(), agentError('STORAGE_UNAVAILABLE'));
  };

  /** Writes that may fail without stopping the patient (facts for staff); failures are logged. */
  const note = (result: Result<unknown>, what: string) => {
    if (!result.ok) logger.warn({ code: result.error.code }, `check-in store: ${what} not saved`);
  };

  return {
    begin(session: Session): Session {
      return storageFailed(session, store.beginCheckIn({ sessionId: session.id, startedAt: session.startedAt, origin: session.origin })) ?? session;
    },

    recordConsent(session: Session, given: ConsentAnswers, source: 'kiosk' | 'reader'): Session {
      const recordedAt = clock.now();
      const failed = session.subjectKey
        ? storageFailed(session, store.recordConsent({ sessionId: session.id, subjectKey: session.subjectKey, given, recordedAt, source }))
        : undefined;
      return failed ?? { ...session, consent: { offered: session.consent?.offered ?? [], ...session.consent, given, recordedAt } };
    },

    savePatient(session: Session, phone: string | undefined): Session {
      if (!session.identityKey) return session;
      const saved = store.registerPatient({ identityKey: session.identityKey, at: clock.now(), ...(phone ? { phone } : {}) });
      if (!saved.ok) return storageFailed(session, saved) ?? session;
      const person = session.eligibility?.people[0];
      if (deps.registerReferenceNumber && person) {
        // The 照会番号 request is a convenience for later face results; failing it does not stop the check-in.
        void deps.registerReferenceNumber({ patientNumber: saved.value.patientNumber, person }).then(
          (r) => note(r, '照会番号 registration'),
          () => logger.warn('照会番号 registration threw'),
        );
      }
      return { ...session, patientNumber: saved.value.patientNumber };
    },

    complete(session: Session): Session {
      const person = onePerson(session.eligibility);
      const done = store.completeCheckIn(session.id, {
        at: clock.now(),
        ...(session.authMethod ? { authMethod: session.authMethod } : {}),
        ...(session.eligibility ? { eligibilityOutcome: session.eligibility.outcome } : {}),
        newPatient: session.isNewPatient === true,
        ...(session.patientNumber ? { patientNumber: session.patientNumber } : {}),
        ...(session.identityKey ? { identityKey: session.identityKey } : {}),
        ...(person ? { person } : {}),
      });
      if (!done.ok) return storageFailed(session, done) ?? session;
      return { ...session, next: 'completed', queueNumber: done.value.queueNumber };
    },

    noteStaff(session: Session): void {
      if (session.staff) note(store.noteCheckIn(session.id, { staffReason: session.staff.reason }), 'staff reason');
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

    end(session: Session, reason: string): void {
      const status = session.fallback?.decision || session.next === 'manual' ? 'fallback' : session.staff ? 'staff' : 'abandoned';
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
