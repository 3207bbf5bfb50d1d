import { describe, expect, it } from 'vitest';
import { ELIGIBILITY_OUTCOMES, fail, ok, type EligibilityOutcome, type ManualEntry } from '@kiosk/protocol';
import { fixedClock } from '../clock.ts';
import type { InsuranceNumberSource } from '../flow/ports.ts';
import { listDayCheckIns } from '../storage/records.ts';
import { createCheckInStore } from '../storage/checkins.ts';
import { openDatabase } from '../storage/db.ts';
import { evaluateManualEntry, saveManualEntry, type ManualEntryDeps } from './manual.ts';

const DAY = '2026-11-22';
/** A 資格確認書 the document rules accept on DAY, with the numbers a 一件照会 needs. */
const ENTRY: ManualEntry = {
  documents: ['shikaku_kakuninsho'],
  insurerNumber: '06139984',
  symbol: '記号',
  number: '1234',
  branch: '01',
  birthDate: '1980-04-01',
  printedExpiry: { shikaku_kakuninsho: '2027-07-31' },
  lookup: true,
};

/** The 一件照会 source answers every 一件照会 with `outcome` (a person only when valid). */
function answering(outcome: EligibilityOutcome | 'unreachable'): InsuranceNumberSource {
  return {
    byInsuranceNumbers: async (query) =>
      outcome === 'unreachable'
        ? fail('ELIGIBILITY_SERVICE_ERROR')
        : ok({
            outcome,
            source: 'insurance-numbers',
            people:
              outcome === 'valid'
                ? [{ name: 'X', birthDate: query.birthDate, insurerNumber: query.insurerNumber, number: query.number, copayPercent: 30 }]
                : [],
          }),
  };
}

function setUp(insuranceNumbers?: InsuranceNumberSource) {
  const db = openDatabase(':memory:');
  const store = createCheckInStore(db);
  const deps: ManualEntryDeps = {
    db,
    store,
    clock: fixedClock(`${DAY}T10:00:00+09:00`),
    reader: () => ({ driver: 'mock', service: 'ok', readers: [{ name: 'Mock Reader', driver: 'mock', state: 'empty' }] }),
    ...(insuranceNumbers ? { insuranceNumbers } : {}),
  };
  const stored = (sessionId: string) => listDayCheckIns(db, DAY).find((c) => c.sessionId === sessionId);
  return { deps, stored };
}

async function save(entry: ManualEntry, deps: ManualEntryDeps) {
  const saved = await saveManualEntry(entry, 'desk1', deps);
  if (!saved.ok) throw new Error(saved.error.code);
  return saved.value;
}

describe('manual entry: the facts staff enter', () => {
  it('derives the insurer kind from the number: 39… is 後期高齢者', () => {
    const { deps } = setUp();
    expect(evaluateManualEntry({ documents: ['shikaku_joho_oshirase'], insurerNumber: '39131156' }, deps).insurerNumber).toEqual({
      valid: true,
      kind: 'kouki',
    });
  });

  it('a patient who cannot operate the reader: the card through the 居宅同意取得型 app', () => {
    const { deps } = setUp(answering('valid'));
    expect(evaluateManualEntry({ documents: ['myna_card', 'mobile_consent_app'], patientCannotOperateReader: true }, deps).decision).toMatchObject({
      decision: 'conditional',
      reasons: ['card-via-mobile-consent-app', 'patient-cannot-operate-reader'],
    });
  });
});

describe('manual entry: the 一件照会 outcome is part of the decision', () => {
  it('valid: the documents decide, the check-in completes with a queue number and the copay', async () => {
    const { deps, stored } = setUp(answering('valid'));
    const result = await save(ENTRY, deps);
    expect(result).toMatchObject({ decision: { decision: 'accepted' }, lookup: { outcome: 'valid', copayPercent: 30 }, saved: { queueNumber: 1 } });
    expect(stored(result.saved!.sessionId)).toMatchObject({
      status: 'completed',
      eligibilityOutcome: 'valid',
      manual: { decision: 'accepted', lookupOutcome: 'valid' },
    });
  });

  it.each([
    ['invalid', 'eligibility-invalid'],
    ['invalid-new-qualification', 'eligibility-new-qualification'],
    ['not-found', 'eligibility-not-found'],
    ['multiple', 'eligibility-multiple'],
  ] as const)('%s: rejected, saved as a staff case (%s) without a queue number, never completed', async (outcome, staffReason) => {
    const { deps, stored } = setUp(answering(outcome));
    const result = await save({ ...ENTRY, sessionId: 'kiosk-fallback-1' }, deps);
    expect(result.decision).toMatchObject({ decision: 'rejected', reasons: ['kakuninsho-within-printed-expiry', 'online-lookup-not-valid'] });
    expect(result.lookup).toEqual({ outcome });
    expect(result.saved?.queueNumber).toBeUndefined();
    expect(stored(result.saved!.sessionId)).toMatchObject({
      status: 'staff',
      staffReason,
      queueNumber: null,
      manual: { decision: 'rejected', lookupOutcome: outcome, sourceSessionId: 'kiosk-fallback-1' },
    });
    expect(stored(result.saved!.sessionId)!.manual!.reasons).toContain('online-lookup-not-valid');
  });

  it.each(['not-found', 'invalid-new-qualification'] as const)(
    "%s with the マイナ保険証 and the new insurer's お知らせ: conditional, the check-in completes (new insurer not registered yet)",
    async (outcome) => {
      const { deps, stored } = setUp(answering(outcome));
      const result = await save({ ...ENTRY, documents: ['myna_card', 'shikaku_joho_oshirase'], printedExpiry: {} }, deps);
      expect(result.decision).toMatchObject({ decision: 'conditional', reasons: ['card-with-notice-new-insurer-pending'] });
      expect(stored(result.saved!.sessionId)).toMatchObject({ status: 'completed', eligibilityOutcome: outcome });
    },
  );

  it.each([['error'], ['unreachable']] as const)('%s: no answer, so the documents decide alone (the desk goes on without it)', async (answer) => {
    const { deps } = setUp(answering(answer));
    const result = await save(ENTRY, deps);
    expect(result.decision).toEqual(evaluateManualEntry(ENTRY, deps).decision);
    expect(result.decision.decision).toBe('accepted');
    expect(result.lookup?.outcome).toBe(answer === 'error' ? 'error' : 'unavailable');
    expect(result.saved?.queueNumber).toBe(1);
  });

  it.each([['error'], ['unreachable']] as const)(
    '%s with the card and the お知らせ: the online check did not answer, so it is the card + お知らせ fallback (staff checks), not a card confirmed online',
    async (answer) => {
      const { deps } = setUp(answering(answer));
      const result = await save({ ...ENTRY, documents: ['myna_card', 'shikaku_joho_oshirase'], printedExpiry: {} }, deps);
      expect(result.decision).toMatchObject({
        decision: 'conditional',
        reasons: ['card-with-notice-fallback'],
        staffChecks: ['enter-insurance-from-notice', 'visual-photo-check'],
      });
      expect(result.saved?.queueNumber).toBe(1);
    },
  );

  it('no lookup asked: the documents decide alone', async () => {
    const { deps } = setUp(answering('not-found'));
    const result = await save({ ...ENTRY, lookup: false }, deps);
    expect(result).toMatchObject({ decision: { decision: 'accepted' }, saved: { queueNumber: 1 } });
    expect(result.lookup).toBeUndefined();
  });

  it('a refusing lookup never completes an entry, whatever the documents (every outcome checked)', async () => {
    const completed: string[] = [];
    for (const outcome of ELIGIBILITY_OUTCOMES) {
      const { deps } = setUp(answering(outcome));
      const result = await save({ ...ENTRY, documents: ['shikaku_kakuninsho', 'self_declaration'] }, deps);
      if (result.saved?.queueNumber !== undefined) completed.push(outcome);
    }
    expect(completed).toEqual(['valid', 'error']);
  });
});
