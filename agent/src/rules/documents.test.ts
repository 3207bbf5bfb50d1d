import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CERTIFICATE_STATUSES, DOCUMENT_IDS, DocumentDecisionSchema, ELIGIBILITY_OUTCOMES, INSURER_KINDS, type DocumentDecisionKind } from '@kiosk/protocol';
import { addDays } from './dates.ts';
import { decideDocuments, parseDocumentsInput, type DocumentsInput } from './documents.ts';
import { DEFAULT_RULES, rulesTableFrom } from './table.ts';

type Facts = Omit<DocumentsInput, 'date'>;
const decide = (date: string, facts: Facts) => decideDocuments({ date, ...facts });

const readerDown = { readerAvailable: false } as const;
type Kind = 'kokuho' | 'kouki' | 'other';
const oldCard = (printed: string, insurerKind?: Kind): Facts => ({
  documents: ['old_hokensho'],
  printedExpiry: { old_hokensho: printed },
  ...(insurerKind ? { insurerKind } : {}),
});
const noticeAlone = (insurerKind?: Kind): Facts => ({ documents: ['shikaku_joho_oshirase'], ...(insurerKind ? { insurerKind } : {}) });

/** One row of the timeline: the decision on the day before, the day of, and the day after `boundary`. */
interface BoundaryRow {
  row: string;
  boundary: string;
  facts: Facts;
  decisions: [DocumentDecisionKind, DocumentDecisionKind, DocumentDecisionKind];
}

const TIMELINE: BoundaryRow[] = [
  {
    row: '2024-12-02 資格確認書 issued from',
    boundary: '2024-12-02',
    facts: { documents: ['shikaku_kakuninsho'], printedExpiry: { shikaku_kakuninsho: '2029-11-30' } },
    decisions: ['rejected', 'accepted', 'accepted'],
  },
  {
    row: '2024-12-02 お知らせ issued from (card + お知らせ, reader down)',
    boundary: '2024-12-02',
    facts: { documents: ['myna_card', 'shikaku_joho_oshirase'], ...readerDown },
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-04 mobile consent app (card, reader down)',
    boundary: '2025-04-01',
    facts: { documents: ['myna_card', 'mobile_consent_app'], ...readerDown },
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-06-27 temporary handling, 国保 expired old card',
    boundary: '2025-06-27',
    facts: oldCard('2025-05-31', 'kokuho'),
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-06-27 temporary handling, 国保 お知らせ alone',
    boundary: '2025-06-27',
    facts: noticeAlone('kokuho'),
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-06-27 temporary handling does not cover other insurers yet',
    boundary: '2025-06-27',
    facts: oldCard('2025-05-31', 'other'),
    decisions: ['rejected', 'rejected', 'rejected'],
  },
  {
    row: '2025-06-27 temporary handling does not cover 後期高齢者 yet',
    boundary: '2025-06-27',
    facts: noticeAlone('kouki'),
    decisions: ['rejected', 'rejected', 'rejected'],
  },
  {
    row: '2025-07-31 printed expiry of most 国保/後期 cards (other insurer: no temporary handling yet)',
    boundary: '2025-07-31',
    facts: oldCard('2025-07-31', 'other'),
    decisions: ['accepted', 'accepted', 'rejected'],
  },
  {
    row: '2025-08-04 temporary handling for 後期高齢者, expired old card',
    boundary: '2025-08-04',
    facts: oldCard('2025-07-31', 'kouki'),
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-08-04 temporary handling for 後期高齢者, お知らせ alone',
    boundary: '2025-08-04',
    facts: noticeAlone('kouki'),
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-08-04 temporary handling still not for other insurers',
    boundary: '2025-08-04',
    facts: noticeAlone('other'),
    decisions: ['rejected', 'rejected', 'rejected'],
  },
  {
    row: '2025-08-04 国保 covered on either side',
    boundary: '2025-08-04',
    facts: noticeAlone('kokuho'),
    decisions: ['conditional', 'conditional', 'conditional'],
  },
  {
    row: '2025-09-19 スマホ保険証',
    boundary: '2025-09-19',
    facts: { documents: ['smartphone_myna'], generalPurposeReader: true },
    decisions: ['rejected', 'accepted', 'accepted'],
  },
  {
    row: '2025-09-30 seed municipality 国保 card: temporary handling the day after',
    boundary: '2025-09-30',
    facts: oldCard('2025-09-30', 'kokuho'),
    decisions: ['accepted', 'accepted', 'conditional'],
  },
  {
    row: '2025-11-12 temporary handling for all insurers, expired old card',
    boundary: '2025-11-12',
    facts: oldCard('2025-07-31', 'other'),
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-11-12 temporary handling for all insurers, お知らせ alone',
    boundary: '2025-11-12',
    facts: noticeAlone('other'),
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-12-01 last day of any old card, whatever its printed date',
    boundary: '2025-12-01',
    facts: { ...oldCard('2027-03-31', 'other'), onlineAvailable: false },
    decisions: ['accepted', 'accepted', 'rejected'],
  },
  {
    row: '2025-12-01 old card after its last day falls under the temporary handling',
    boundary: '2025-12-01',
    facts: oldCard('2027-03-31', 'other'),
    decisions: ['accepted', 'accepted', 'conditional'],
  },
  {
    row: '2026-03-31 first announced end, extended: お知らせ alone still conditional',
    boundary: '2026-03-31',
    facts: noticeAlone(),
    decisions: ['conditional', 'conditional', 'conditional'],
  },
  {
    row: '2026-03-31 first announced end, extended: old card still conditional',
    boundary: '2026-03-31',
    facts: oldCard('2025-07-31'),
    decisions: ['conditional', 'conditional', 'conditional'],
  },
  ...(['kokuho', 'kouki', 'other', undefined] as const).flatMap((kind): BoundaryRow[] => [
    {
      row: `2026-07-31 end of the extended temporary handling, お知らせ alone (${kind ?? 'kind unknown'})`,
      boundary: '2026-07-31',
      facts: noticeAlone(kind),
      decisions: ['conditional', 'conditional', 'rejected'],
    },
    {
      row: `2026-07-31 end of the extended temporary handling, old card (${kind ?? 'kind unknown'})`,
      boundary: '2026-07-31',
      facts: oldCard('2025-07-31', kind),
      decisions: ['conditional', 'conditional', 'rejected'],
    },
  ]),
  {
    row: '2025-04 mobile consent app also for a patient who cannot operate the reader (reader working)',
    boundary: '2025-04-01',
    facts: { documents: ['myna_card', 'mobile_consent_app'], patientCannotOperateReader: true },
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '2025-09-19 スマホ保険証 unreadable (no general-purpose reader): the マイナポータル screen on the phone',
    boundary: '2025-09-19',
    facts: { documents: ['smartphone_myna', 'mynaportal_screen'] },
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: 'certificate last valid 2026-05-15: grace to the end of the month 3 months after the expiry month',
    boundary: '2026-08-31',
    facts: { documents: ['myna_card'], certificateExpiry: '2026-05-15' },
    decisions: ['accepted', 'accepted', 'rejected'],
  },
  {
    row: '医療券 printed for 2026-12: the month starts',
    boundary: '2026-12-01',
    facts: { documents: ['medical_ticket'], printedExpiry: { medical_ticket: '2026-12-31' } },
    decisions: ['rejected', 'conditional', 'conditional'],
  },
  {
    row: '医療券 printed for 2026-12: the month ends',
    boundary: '2026-12-31',
    facts: { documents: ['medical_ticket'], printedExpiry: { medical_ticket: '2026-12-31' } },
    decisions: ['conditional', 'conditional', 'rejected'],
  },
  {
    row: '資格確認書 printed expiry 2027-07-31',
    boundary: '2027-07-31',
    facts: { documents: ['shikaku_kakuninsho'], printedExpiry: { shikaku_kakuninsho: '2027-07-31' } },
    decisions: ['accepted', 'accepted', 'rejected'],
  },
];

const TIMELINE_CASES = TIMELINE.flatMap(({ row, boundary, facts, decisions }) =>
  ([-1, 0, 1] as const).map((offset, i) => ({ row, date: addDays(boundary, offset), facts, expected: decisions[i] })),
);

describe('the timeline, on the day before, the day of and the day after each date', () => {
  it.each(TIMELINE_CASES)('$row: $date → $expected', ({ date, facts, expected }) => {
    expect(decide(date, facts).decision).toBe(expected);
  });
});

describe('temporary handling details', () => {
  it('an unknown insurer kind, while only some are covered: staff confirm the kind (国保, then 国保 or 後期)', () => {
    expect(decide('2025-08-03', noticeAlone())).toMatchObject({
      decision: 'conditional',
      staffChecks: ['online-single-lookup', 'confirm-kokuho-insurer'],
      reasons: ['notice-alone-not-enough', 'temporary-handling-notice-alone', 'temporary-handling-kokuho-only'],
      patientGuidance: 'desk-confirms-insurance',
    });
    expect(decide('2025-08-04', noticeAlone())).toMatchObject({
      staffChecks: ['online-single-lookup', 'confirm-kokuho-or-kouki-insurer'],
      reasons: ['notice-alone-not-enough', 'temporary-handling-notice-alone', 'temporary-handling-kokuho-kouki-only'],
    });
    expect(decide('2025-11-11', noticeAlone())).toMatchObject({ staffChecks: ['online-single-lookup', 'confirm-kokuho-or-kouki-insurer'] });
    expect(decide('2025-11-12', noticeAlone())).toMatchObject({
      decision: 'conditional',
      staffChecks: ['online-single-lookup'],
      reasons: ['notice-alone-not-enough', 'temporary-handling-notice-alone'],
    });
  });

  it('a known kind needs no kind check, but the reason still says who is covered', () => {
    expect(decide('2025-08-04', noticeAlone('kouki'))).toMatchObject({
      staffChecks: ['online-single-lookup'],
      reasons: ['notice-alone-not-enough', 'temporary-handling-notice-alone', 'temporary-handling-kokuho-kouki-only'],
    });
  });

  it('needs the online lookup: with the online service down it is rejected', () => {
    expect(decide('2026-01-15', { ...noticeAlone(), onlineAvailable: false })).toMatchObject({
      decision: 'rejected',
      reasons: ['notice-alone-not-enough', 'temporary-handling-needs-online'],
    });
  });

  it('an old card after 2025-12-01 says why', () => {
    expect(decide('2025-12-02', oldCard('2027-03-31')).reasons).toEqual(['old-card-after-last-valid-day', 'temporary-handling-expired-old-card']);
  });

  it('the end date is configuration', () => {
    const extended = rulesTableFrom({ temporaryHandling: { lastDay: '2026-09-30' } });
    expect(decide('2026-08-01', noticeAlone()).decision).toBe('rejected');
    if (!extended.ok) throw new Error('fixture');
    expect(decideDocuments({ date: '2026-09-30', ...noticeAlone() }, extended.value).decision).toBe('conditional');
    expect(decideDocuments({ date: '2026-10-01', ...noticeAlone() }, extended.value).decision).toBe('rejected');
  });
});

describe('in force on 2026-12-02 (rules page)', () => {
  const day = '2026-12-02';

  it('1. マイナ保険証 through the reader: the normal path', () => {
    expect(decide(day, { documents: ['myna_card'] })).toEqual({
      decision: 'accepted',
      documents: ['myna_card'],
      reasons: ['myna-card-via-reader'],
      staffChecks: [],
      patientGuidance: 'use-reader',
    });
  });

  it('2. the certificate state from its expiry, counted from the end of the expiry month', () => {
    // Last valid 2026-09-01: the default covers to 2026-12-31 (end of September + 3 months); from the date, to 2026-12-01.
    expect(decide(day, { documents: ['myna_card'], certificateExpiry: '2026-09-01' })).toMatchObject({
      decision: 'accepted',
      reasons: ['myna-card-via-reader', 'certificate-grace-eligibility-only'],
    });
    const fromDate = rulesTableFrom({ certificate: { graceCountsFrom: 'expiry-date' } });
    if (!fromDate.ok) throw new Error('fixture');
    expect(decideDocuments({ date: day, documents: ['myna_card'], certificateExpiry: '2026-09-01' }, fromDate.value).decision).toBe('rejected');
    expect(decide(day, { documents: ['myna_card'], certificateExpiry: '2027-02-02' }).reasons).toEqual(['myna-card-via-reader', 'certificate-expiring']);
    expect(decide(day, { documents: ['myna_card'], certificateExpiry: '2027-03-03' }).reasons).toEqual(['myna-card-via-reader']);
  });

  it("2. the reader's or the service's verdict wins over the date arithmetic", () => {
    // Reader error 006 on a certificate the dates call valid.
    expect(decide(day, { documents: ['myna_card'], certificateExpiry: '2030-01-01', certificate: 'expired' })).toMatchObject({
      decision: 'rejected',
      reasons: ['certificate-expired'],
    });
    // The service answered for a card the kiosk's arithmetic already called expired.
    expect(decide(day, { documents: ['myna_card'], certificateExpiry: '2026-01-01', certificate: 'grace' })).toMatchObject({
      decision: 'accepted',
      reasons: ['myna-card-via-reader', 'certificate-grace-eligibility-only'],
    });
  });

  it('2. certificate in grace: accepted for eligibility only, renew at the city office', () => {
    expect(decide(day, { documents: ['myna_card'], certificate: 'grace' })).toMatchObject({
      decision: 'accepted',
      reasons: ['myna-card-via-reader', 'certificate-grace-eligibility-only'],
      patientGuidance: 'certificate-grace-renew',
    });
  });

  it('2. certificate expiring within 3 months: accepted with a renewal reminder', () => {
    expect(decide(day, { documents: ['myna_card'], certificate: 'expiring' })).toMatchObject({
      decision: 'accepted',
      reasons: ['myna-card-via-reader', 'certificate-expiring'],
      patientGuidance: 'certificate-renew-soon',
    });
  });

  it('certificate expired beyond the grace: the card is not an insurance card; the desk helps', () => {
    expect(decide(day, { documents: ['myna_card', 'shikaku_joho_oshirase'], certificate: 'expired' })).toMatchObject({
      decision: 'rejected',
      reasons: ['certificate-expired', 'notice-alone-not-enough', 'temporary-handling-ended'],
      staffChecks: ['offer-self-declaration', 'staff-decides-self-pay'],
      patientGuidance: 'certificate-expired',
    });
  });

  it.each([
    ['お知らせ, reader down', { documents: ['myna_card', 'shikaku_joho_oshirase'], readerAvailable: false }, ['card-with-notice-fallback']],
    ['お知らせ, online check down', { documents: ['myna_card', 'shikaku_joho_oshirase'], onlineAvailable: false }, ['card-with-notice-fallback']],
    ['マイナポータル screen, reader down', { documents: ['myna_card', 'mynaportal_screen'], readerAvailable: false }, ['card-with-portal-screen-fallback']],
  ] satisfies Array<[string, Facts, string[]]>)('3. card + %s: conditional with the staff checks', (_, facts, reasons) => {
    expect(decide(day, facts)).toMatchObject({
      decision: 'conditional',
      reasons,
      staffChecks: ['enter-insurance-from-notice', 'visual-photo-check'],
      patientGuidance: 'card-with-notice-accepted',
    });
  });

  it.each(['not-found', 'invalid-new-qualification'] as const)(
    '3. card + お知らせ when the online answer is %s (new insurer not registered yet): conditional, the お知らせ is the proof',
    (onlineLookup) => {
      expect(decide(day, { documents: ['myna_card', 'shikaku_joho_oshirase'], onlineLookup })).toEqual({
        decision: 'conditional',
        documents: ['myna_card', 'shikaku_joho_oshirase'],
        reasons: ['card-with-notice-new-insurer-pending'],
        staffChecks: ['enter-insurance-from-notice', 'visual-photo-check'],
        patientGuidance: 'card-with-notice-accepted',
      });
    },
  );

  it('3. … but not the お知らせ alone, nor for an answer of invalid or several matches', () => {
    expect(decide(day, { documents: ['shikaku_joho_oshirase'], onlineLookup: 'not-found' }).decision).toBe('rejected');
    expect(decide(day, { documents: ['myna_card', 'mynaportal_screen'], onlineLookup: 'not-found' }).decision).toBe('rejected');
    for (const onlineLookup of ['invalid', 'multiple'] as const) {
      expect(decide(day, { documents: ['myna_card', 'shikaku_joho_oshirase'], onlineLookup }).reasons.at(-1)).toBe('online-lookup-not-valid');
    }
  });

  it('3. a スマホ保険証 that cannot be read: the マイナポータル screen on the same phone, staff confirm', () => {
    expect(decide(day, { documents: ['smartphone_myna', 'mynaportal_screen'], readerAvailable: false })).toEqual({
      decision: 'conditional',
      documents: ['smartphone_myna', 'mynaportal_screen'],
      reasons: ['smartphone-unreadable-portal-screen'],
      staffChecks: ['enter-insurance-from-notice'],
      patientGuidance: 'smartphone-portal-screen-at-desk',
    });
    // Readable: the phone itself wins.
    expect(decide(day, { documents: ['smartphone_myna', 'mynaportal_screen'], generalPurposeReader: true }).decision).toBe('accepted');
  });

  it('居宅同意取得型 app also for a patient who cannot operate the reader', () => {
    expect(decide(day, { documents: ['myna_card', 'mobile_consent_app'], patientCannotOperateReader: true })).toMatchObject({
      decision: 'conditional',
      reasons: ['card-via-mobile-consent-app', 'patient-cannot-operate-reader'],
      staffChecks: ['use-mobile-consent-app'],
      patientGuidance: 'staff-reads-card-at-desk',
    });
    expect(decide(day, { documents: ['myna_card'], patientCannotOperateReader: true })).toMatchObject({
      decision: 'rejected',
      reasons: ['patient-cannot-operate-reader'],
      patientGuidance: 'staff-reads-card-at-desk',
    });
  });

  it('3. card + お知らせ with the reader working: the reader path, no staff checks', () => {
    expect(decide(day, { documents: ['myna_card', 'shikaku_joho_oshirase'] })).toMatchObject({ decision: 'accepted', staffChecks: [] });
  });

  it('card alone with the reader down: asked for the お知らせ or the portal screen', () => {
    expect(decide(day, { documents: ['myna_card'], ...readerDown })).toMatchObject({
      decision: 'rejected',
      reasons: ['reader-or-online-unavailable'],
      patientGuidance: 'show-notice-or-portal',
      staffChecks: ['offer-self-declaration', 'staff-decides-self-pay'],
    });
  });

  it('card with the reader down but online up: staff read it with the mobile consent app', () => {
    expect(decide(day, { documents: ['myna_card', 'mobile_consent_app', 'shikaku_joho_oshirase'], ...readerDown })).toMatchObject({
      decision: 'conditional',
      reasons: ['card-via-mobile-consent-app'],
      staffChecks: ['use-mobile-consent-app'],
      patientGuidance: 'staff-reads-card-at-desk',
    });
  });

  it('4. 資格確認書 alone: accepted until its printed expiry, rejected the day after', () => {
    const kakuninsho = (expiry: string): Facts => ({ documents: ['shikaku_kakuninsho'], printedExpiry: { shikaku_kakuninsho: expiry } });
    expect(decide(day, kakuninsho('2027-07-31'))).toMatchObject({ decision: 'accepted', patientGuidance: 'kakuninsho-accepted' });
    expect(decide(day, kakuninsho(day))).toMatchObject({ decision: 'accepted', reasons: ['kakuninsho-within-printed-expiry'] });
    expect(decide(day, kakuninsho('2026-12-01'))).toMatchObject({
      decision: 'rejected',
      reasons: ['kakuninsho-expired'],
      patientGuidance: 'kakuninsho-expired',
    });
  });

  it('4. 資格確認書 without a known expiry: staff check the printed date', () => {
    expect(decide(day, { documents: ['shikaku_kakuninsho'] })).toMatchObject({ decision: 'conditional', staffChecks: ['check-printed-expiry'] });
  });

  it('5. お知らせ alone: rejected; bring the マイナ保険証, the desk offers the 申立書', () => {
    expect(decide(day, noticeAlone('kokuho'))).toEqual({
      decision: 'rejected',
      documents: ['shikaku_joho_oshirase'],
      reasons: ['notice-alone-not-enough', 'temporary-handling-ended'],
      staffChecks: ['offer-self-declaration', 'staff-decides-self-pay'],
      patientGuidance: 'notice-alone-not-enough',
    });
  });

  it('6a. 医療券: conditional for its printed month, staff confirm (公費 is never decided by the kiosk alone)', () => {
    expect(decide(day, { documents: ['medical_ticket'], printedExpiry: { medical_ticket: '2026-12-31' } })).toEqual({
      decision: 'conditional',
      documents: ['medical_ticket'],
      reasons: ['medical-ticket-within-printed-month'],
      staffChecks: ['confirm-medical-ticket'],
      patientGuidance: 'medical-ticket-at-desk',
    });
    expect(decide(day, { documents: ['medical_ticket'] })).toMatchObject({
      decision: 'conditional',
      staffChecks: ['check-printed-expiry', 'confirm-medical-ticket'],
    });
    expect(decide(day, { documents: ['medical_ticket'], printedExpiry: { medical_ticket: '2026-11-30' } })).toMatchObject({
      decision: 'rejected',
      reasons: ['medical-ticket-outside-printed-month'],
      patientGuidance: 'medical-ticket-not-valid',
    });
  });

  it('6. old 健康保険証: rejected whatever its printed date', () => {
    expect(decide(day, oldCard('2027-03-31', 'other'))).toMatchObject({
      decision: 'rejected',
      reasons: ['old-card-after-last-valid-day', 'temporary-handling-ended'],
      patientGuidance: 'old-card-not-accepted',
    });
  });

  it('7. nothing presented: rejected, the desk decides between the 申立書 and self-pay', () => {
    expect(decide(day, { documents: [] })).toEqual({
      decision: 'rejected',
      documents: [],
      reasons: ['no-documents'],
      staffChecks: ['offer-self-declaration', 'staff-decides-self-pay'],
      patientGuidance: 'nothing-presented',
    });
  });

  it('7. the self-declaration is never accepted by the kiosk alone', () => {
    expect(decide(day, { documents: ['self_declaration', 'old_hokensho'] })).toMatchObject({
      decision: 'conditional',
      reasons: ['self-declaration-last-resort'],
      staffChecks: ['offer-self-declaration', 'staff-decides-self-pay'],
      patientGuidance: 'self-declaration-at-desk',
    });
  });

  it('マイナポータル screen or the mobile app without the card: rejected', () => {
    expect(decide(day, { documents: ['mynaportal_screen'] }).reasons).toEqual(['portal-screen-alone-not-enough']);
    expect(decide(day, { documents: ['mobile_consent_app'] }).reasons).toEqual(['mobile-consent-app-needs-card']);
  });

  it('the best document wins: an old card does not spoil a valid 資格確認書', () => {
    expect(decide(day, { documents: ['old_hokensho', 'shikaku_kakuninsho'], printedExpiry: { shikaku_kakuninsho: '2027-07-31' } })).toMatchObject({
      decision: 'accepted',
      reasons: ['kakuninsho-within-printed-expiry'],
    });
  });

  it('repeated documents count once', () => {
    expect(decide(day, { documents: ['myna_card', 'myna_card'] }).documents).toEqual(['myna_card']);
  });
});

describe('スマホ保険証', () => {
  const day = '2026-11-22';
  it.each([
    ['no general-purpose reader', { documents: ['smartphone_myna'] }, 'smartphone-needs-general-purpose-reader'],
    ['certificate in grace', { documents: ['smartphone_myna'], generalPurposeReader: true, certificate: 'grace' }, 'smartphone-needs-valid-certificate'],
    ['reader down', { documents: ['smartphone_myna'], generalPurposeReader: true, readerAvailable: false }, 'reader-or-online-unavailable'],
  ] satisfies Array<[string, Facts, string]>)('rejected with %s', (_, facts, reason) => {
    expect(decide(day, facts)).toMatchObject({ decision: 'rejected', reasons: [reason], patientGuidance: 'smartphone-not-accepted' });
  });

  it('accepted while the certificate is merely expiring', () => {
    expect(decide(day, { documents: ['smartphone_myna'], generalPurposeReader: true, certificate: 'expiring' })).toMatchObject({
      decision: 'accepted',
      reasons: ['smartphone-via-general-reader', 'certificate-expiring'],
    });
  });
});

describe('the online 一件照会 (staff manual entry)', () => {
  const day = '2026-11-22';
  const kakuninsho: Facts = { documents: ['shikaku_kakuninsho'], printedExpiry: { shikaku_kakuninsho: '2027-07-31' } };

  it.each(['invalid', 'invalid-new-qualification', 'not-found', 'multiple'] as const)(
    'answering %s rejects even a valid 資格確認書: the desk confirms the insurance, 申立書 or self-pay',
    (onlineLookup) => {
      expect(decide(day, { ...kakuninsho, onlineLookup })).toEqual({
        decision: 'rejected',
        documents: ['shikaku_kakuninsho'],
        reasons: ['kakuninsho-within-printed-expiry', 'online-lookup-not-valid'],
        staffChecks: ['offer-self-declaration', 'staff-decides-self-pay'],
        patientGuidance: 'desk-confirms-insurance',
      });
    },
  );

  it('answering valid, or error (no answer), leaves the documents to decide', () => {
    const alone = decide(day, kakuninsho);
    expect(decide(day, { ...kakuninsho, onlineLookup: 'valid' })).toEqual(alone);
    expect(decide(day, { ...kakuninsho, onlineLookup: 'error' })).toEqual(alone);
    expect(decide(day, { documents: ['shikaku_joho_oshirase'], onlineLookup: 'valid' }).decision).toBe('rejected');
  });

  it("keeps the documents' own reasons when they were refused already", () => {
    expect(decide(day, { documents: ['old_hokensho'], onlineLookup: 'not-found' }).reasons).toEqual([
      'old-card-after-last-valid-day',
      'temporary-handling-ended',
      'online-lookup-not-valid',
    ]);
  });
});

describe('invariants over any documents, facts and date', () => {
  // Generous: a loaded CI machine must not turn 100 cheap runs into a flaky timeout. Not a speed assertion.
  const PROPERTY_TIMEOUT_MS = 30_000;

  /** A Japan day between `first` and `first + spanDays`. */
  const day = (first: string, spanDays: number) => fc.integer({ min: 0, max: spanDays }).map((n) => addDays(first, n));
  const facts = fc.record(
    {
      date: day('2024-06-01', 1800),
      documents: fc.subarray([...DOCUMENT_IDS]),
      printedExpiry: fc.record(
        { shikaku_kakuninsho: day('2024-12-01', 2200), old_hokensho: day('2024-01-01', 1400), medical_ticket: day('2024-06-01', 1800) },
        { requiredKeys: [] },
      ),
      readerAvailable: fc.boolean(),
      patientCannotOperateReader: fc.boolean(),
      certificateExpiry: day('2024-01-01', 2600),
      onlineAvailable: fc.boolean(),
      generalPurposeReader: fc.boolean(),
      certificate: fc.constantFrom(...CERTIFICATE_STATUSES),
      insurerKind: fc.constantFrom(...INSURER_KINDS),
      onlineLookup: fc.constantFrom(...ELIGIBILITY_OUTCOMES),
    },
    { requiredKeys: ['date', 'documents'] },
  );

  it(
    'every decision is a valid wire message; anything short of accepted names what staff must do',
    () => {
      fc.assert(
        fc.property(facts, (input) => {
          const decision = decideDocuments(input, DEFAULT_RULES);
          expect(DocumentDecisionSchema.safeParse(decision).success).toBe(true);
          expect(decision.reasons.length).toBeGreaterThan(0);
          if (decision.decision === 'accepted') expect(decision.staffChecks).toEqual([]);
          else expect(decision.staffChecks.length).toBeGreaterThan(0);
          if (decision.decision === 'rejected') expect(decision.staffChecks).toContain('staff-decides-self-pay');
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'a 一件照会 that says the insurance is not valid is never accepted; only the card with the お知らせ survives "not found" or "newer qualification"',
    () => {
      const refusals = fc.constantFrom('invalid' as const, 'invalid-new-qualification' as const, 'not-found' as const, 'multiple' as const);
      fc.assert(
        fc.property(facts, refusals, (input, onlineLookup) => {
          const decision = decideDocuments({ ...input, onlineLookup });
          if (decision.decision === 'rejected') expect(decision.reasons.at(-1)).toBe('online-lookup-not-valid');
          else {
            expect(['not-found', 'invalid-new-qualification']).toContain(onlineLookup);
            expect(decision).toMatchObject({ decision: 'conditional', reasons: ['card-with-notice-new-insurer-pending'] });
            expect(input.documents).toEqual(expect.arrayContaining(['myna_card', 'shikaku_joho_oshirase']));
          }
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'after the temporary handling, the お知らせ or an old card alone are never accepted in any form',
    () => {
      fc.assert(
        fc.property(facts, fc.subarray(['shikaku_joho_oshirase', 'old_hokensho'] as const, { minLength: 1 }), (input, documents) => {
          const date = input.date > DEFAULT_RULES.temporaryHandling.lastDay ? input.date : addDays(DEFAULT_RULES.temporaryHandling.lastDay, 1);
          expect(decideDocuments({ ...input, date, documents }).decision).toBe('rejected');
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('parseDocumentsInput', () => {
  it('accepts a well-formed input', () => {
    expect(parseDocumentsInput({ date: '2026-11-22', documents: ['myna_card'] })).toEqual({
      ok: true,
      value: { date: '2026-11-22', documents: ['myna_card'] },
    });
  });

  it.each([
    ['an impossible date', { date: '2026-02-30', documents: [] }, 'date'],
    ['an unknown document', { date: '2026-11-22', documents: ['passport'] }, 'documents.0'],
    ['an expiry on a document without one', { date: '2026-11-22', documents: [], printedExpiry: { myna_card: '2030-01-01' } }, 'printedExpiry'],
    ['an unknown certificate state', { date: '2026-11-22', documents: [], certificate: 'revoked' }, 'certificate'],
    ['an impossible certificate expiry', { date: '2026-11-22', documents: [], certificateExpiry: '2026-11-31' }, 'certificateExpiry'],
    ['an unknown insurer kind', { date: '2026-11-22', documents: [], insurerKind: 'kyosai' }, 'insurerKind'],
  ])('refuses %s, naming the field', (_, raw, field) => {
    const result = parseDocumentsInput(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(field);
  });
});
