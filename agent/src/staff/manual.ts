import { randomUUID } from 'node:crypto';
import { fail, ok, type DocumentDecision, type FlowSnapshot, type Result } from '@kiosk/protocol';
import type { Clock } from '../clock.ts';
import { japanDate } from '../clock.ts';
import type { InsuranceNumberSource, CheckInStore } from '../flow/ports.ts';
import { OUTCOME_STAFF_REASON } from '../flow/decisions.ts';
import { insuranceIdentity } from '../flow/privacy.ts';
import { completedQueueNumber, insertManualEntry } from '../storage/records.ts';
import { decideDocuments } from '../rules/documents.ts';
import type { RulesTable } from '../rules/table.ts';
import { insurerKindOf, validateInsurerNumber } from '../rules/insurer-number.ts';
import type { Db } from '../storage/db.ts';
import type { ManualEntry, ManualEntryResult } from '@kiosk/protocol';

/** 一件照会 answers through the 資格確認端末 within seconds; past this the desk goes on without it. */
const LOOKUP_TIMEOUT_MS = 20_000;

export interface ManualEntryDeps {
  db: Db;
  store: CheckInStore;
  clock: Clock;
  insuranceNumbers?: InsuranceNumberSource;
  /** The document rules in force (a clinic's override applied); default the table as released. */
  rules?: RulesTable;
  /** Current reader/terminal state, for the document rules (reader down → fallback documents apply). */
  reader: () => FlowSnapshot['reader'];
  lookupTimeoutMs?: number;
}

type Evaluation = Pick<ManualEntryResult, 'decision' | 'insurerNumber'> & { validInsurerNumber?: string };

/**
 * The rules' verdict for what was entered: pure apart from "today" and the reader state. Used by preview and
 * save; save passes the 一件照会's answer too, which the rules weigh like any other fact.
 */
export function evaluateManualEntry(
  entry: ManualEntry,
  deps: Pick<ManualEntryDeps, 'clock' | 'reader' | 'insuranceNumbers' | 'rules'>,
  lookup?: ManualEntryResult['lookup'],
): Evaluation {
  // A 一件照会 that got no answer ('error', or none in time) means the online check is unavailable right now.
  const answered = lookup && lookup.outcome !== 'unavailable' && lookup.outcome !== 'error' ? lookup.outcome : undefined;
  const insurer = entry.insurerNumber === undefined || entry.insurerNumber === '' ? undefined : validateInsurerNumber(entry.insurerNumber);
  const reader = deps.reader();
  const decision: DocumentDecision = decideDocuments(
    {
      date: japanDate(deps.clock.now()),
      documents: entry.documents,
      ...(entry.printedExpiry ? { printedExpiry: Object.fromEntries(Object.entries(entry.printedExpiry).filter(([, v]) => v)) } : {}),
      readerAvailable: reader.service === 'ok' && reader.readers.some((r) => r.state !== 'unavailable'),
      onlineAvailable: deps.insuranceNumbers !== undefined && (lookup === undefined || answered !== undefined),
      ...(insurer?.ok ? { insurerKind: insurerKindOf(insurer.value) } : {}),
      ...(entry.patientCannotOperateReader ? { patientCannotOperateReader: true } : {}),
      ...(answered ? { onlineLookup: answered } : {}),
    },
    deps.rules,
  );
  return {
    decision,
    insurerNumber:
      insurer === undefined ? null : insurer.ok ? { valid: true, kind: insurerKindOf(insurer.value) } : { valid: false, message: insurer.error.message },
    ...(insurer?.ok ? { validInsurerNumber: insurer.value } : {}),
  };
}

async function lookup(entry: ManualEntry, insurerNumber: string | undefined, deps: ManualEntryDeps): Promise<ManualEntryResult['lookup']> {
  if (!entry.lookup) return undefined;
  if (!deps.insuranceNumbers || !insurerNumber || !entry.number || !entry.birthDate) return { outcome: 'unavailable' };
  const signal = AbortSignal.timeout(deps.lookupTimeoutMs ?? LOOKUP_TIMEOUT_MS);
  const answer = await deps.insuranceNumbers
    .byInsuranceNumbers(
      {
        insurerNumber,
        number: entry.number,
        birthDate: entry.birthDate.replaceAll('-', ''),
        ...(entry.symbol ? { symbol: entry.symbol } : {}),
        ...(entry.branch ? { branch: entry.branch } : {}),
      },
      signal,
    )
    .catch(() => undefined);
  if (!answer?.ok) return { outcome: 'unavailable' };
  const person = answer.value.outcome === 'valid' && answer.value.people.length === 1 ? answer.value.people[0] : undefined;
  return { outcome: answer.value.outcome, ...(person?.copayPercent !== undefined ? { copayPercent: person.copayPercent } : {}) };
}

/**
 * Checks, optionally looks up, and saves a manual entry as a check-in of its own (origin "manual"),
 * linked to the kiosk session it resolves. Accepted or conditional: the check-in completes with the
 * next queue number; rejected (by the documents, or by a 一件照会 that says the insurance is not valid):
 * it is saved as a staff case without a number. One transaction.
 */
export async function saveManualEntry(entry: ManualEntry, staff: string, deps: ManualEntryDeps): Promise<Result<ManualEntryResult>> {
  const entered = evaluateManualEntry(entry, deps);
  if (entered.insurerNumber && !entered.insurerNumber.valid) return fail('INPUT_INVALID', entered.insurerNumber.message);
  const looked = await lookup(entry, entered.validInsurerNumber, deps);
  const eligibilityOutcome = looked && looked.outcome !== 'unavailable' ? looked.outcome : undefined;
  const evaluation = looked ? evaluateManualEntry(entry, deps, looked) : entered;
  // A refusal by the 一件照会 puts what it said on the staff case, as the kiosk flow does.
  const refusedByLookup = eligibilityOutcome !== undefined && eligibilityOutcome !== 'valid' && evaluation.decision.reasons.includes('online-lookup-not-valid');
  const { store } = deps;
  const sessionId = `manual-${randomUUID()}`;
  const at = deps.clock.now();
  const insurance = evaluation.validInsurerNumber
    ? {
        insurerNumber: evaluation.validInsurerNumber,
        ...(entry.symbol ? { symbol: entry.symbol } : {}),
        ...(entry.number ? { number: entry.number } : {}),
        ...(entry.branch ? { branch: entry.branch } : {}),
      }
    : undefined;
  // The receipt computer finds the patient by the insurance (a 患者番号 remembered from an earlier visit); the
  // birth date rides along in memory only.
  const reception =
    insurance?.number !== undefined
      ? {
          identityKey: store.subjectKey('insurance', insuranceIdentity({ ...insurance, number: insurance.number })),
          person: { ...insurance, ...(entry.birthDate ? { birthDate: entry.birthDate.replaceAll('-', '') } : {}) },
        }
      : {};
  try {
    const saved = deps.db.transaction(() => {
      const must = <T>(result: Result<T>): T => {
        if (!result.ok) throw Object.assign(new Error(result.error.code), { result });
        return result.value;
      };
      // One patient, one number: a kiosk session the kiosk or the desk already completed is not completed again.
      if (entry.sessionId) {
        const done = completedQueueNumber(deps.db, entry.sessionId);
        if (done !== undefined) must(fail('INPUT_NOT_ALLOWED_NOW', `This check-in already has queue number ${done}`, { queueNumber: done }));
      }
      must(store.beginCheckIn({ sessionId, startedAt: at, origin: 'manual' }));
      let queueNumber: number | undefined;
      if (evaluation.decision.decision === 'rejected') {
        const staffReason = refusedByLookup ? OUTCOME_STAFF_REASON[eligibilityOutcome] : undefined;
        must(store.endCheckIn(sessionId, { status: 'staff', at, reason: 'manual-rejected', ...(staffReason ? { staffReason } : {}) }));
      } else {
        queueNumber = must(
          store.completeCheckIn(sessionId, { at, newPatient: false, ...(eligibilityOutcome ? { eligibilityOutcome } : {}), ...reception }),
        ).queueNumber;
      }
      const entryId = insertManualEntry(deps.db, {
        checkInSessionId: sessionId,
        ...(entry.sessionId ? { sourceSessionId: entry.sessionId } : {}),
        createdAt: at,
        staff,
        decision: evaluation.decision,
        ...(looked ? { lookupOutcome: looked.outcome } : {}),
        ...(insurance ? { insurance } : {}),
        ...(entry.printedExpiry ? { printedExpiry: entry.printedExpiry } : {}),
      });
      return { entryId, sessionId, ...(queueNumber ? { queueNumber } : {}) };
    })();
    return ok({ decision: evaluation.decision, insurerNumber: evaluation.insurerNumber, ...(looked ? { lookup: looked } : {}), saved });
  } catch (error) {
    const carried = (error as { result?: Result<never> }).result;
    return carried ?? fail('STORAGE_UNAVAILABLE');
  }
}
