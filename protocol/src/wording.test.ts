import { describe, expect, it } from 'vitest';
import { DOCUMENT_DECISIONS, DOCUMENT_IDS, DOCUMENT_REASONS, INSURER_KINDS, PATIENT_GUIDANCE, STAFF_CHECKS } from './documents.ts';
import { AUTH_METHODS, ELIGIBILITY_OUTCOMES, LANGUAGES, STAFF_REASONS } from './flow.ts';
import { ALERT_ACTIONS, CHECKIN_ORIGINS, CHECKIN_STATUSES, QUEUE_FLAGS, REVIEW_REASONS, SYSTEM_ALERTS } from './staff.ts';
import {
  ALERT_ACTION_WORDING,
  ALERT_KIND_WORDING,
  ALERT_TODO_WORDING,
  AUTH_METHOD_WORDING,
  CHECKIN_ORIGIN_WORDING,
  CHECKIN_STATUS_WORDING,
  DOCUMENT_DECISION_WORDING,
  DOCUMENT_WORDING,
  ELIGIBILITY_WORDING,
  INSURER_KIND_WORDING,
  QUEUE_FLAG_WORDING,
  REVIEW_KIND_WORDING,
  REVIEW_REASON_WORDING,
} from './staff-wording.ts';
import { DOCUMENT_REASON_WORDING, PATIENT_GUIDANCE_WORDING, patientGuidanceIn, STAFF_CHECK_WORDING } from './wording.ts';

describe('the one wording source', () => {
  it.each([
    ['patient guidance', PATIENT_GUIDANCE, PATIENT_GUIDANCE_WORDING, LANGUAGES],
    ['staff checks', STAFF_CHECKS, STAFF_CHECK_WORDING, ['ja', 'en']],
    ['reasons', DOCUMENT_REASONS, DOCUMENT_REASON_WORDING, ['ja', 'en']],
    ['check-in status', CHECKIN_STATUSES, CHECKIN_STATUS_WORDING, ['ja', 'en']],
    ['check-in origin', CHECKIN_ORIGINS, CHECKIN_ORIGIN_WORDING, ['ja', 'en']],
    ['authentication', AUTH_METHODS, AUTH_METHOD_WORDING, ['ja', 'en']],
    ['eligibility outcome', [...ELIGIBILITY_OUTCOMES, 'unavailable'], ELIGIBILITY_WORDING, ['ja', 'en']],
    ['queue flag', QUEUE_FLAGS, QUEUE_FLAG_WORDING, ['ja', 'en']],
    ['document', DOCUMENT_IDS, DOCUMENT_WORDING, ['ja', 'en']],
    ['document decision', DOCUMENT_DECISIONS, DOCUMENT_DECISION_WORDING, ['ja', 'en']],
    ['insurer kind', INSURER_KINDS, INSURER_KIND_WORDING, ['ja', 'en']],
    ['alert kind', [...STAFF_REASONS, ...SYSTEM_ALERTS], ALERT_KIND_WORDING, ['ja', 'en']],
    ['alert to-do', [...STAFF_REASONS, ...SYSTEM_ALERTS], ALERT_TODO_WORDING, ['ja', 'en']],
    ['alert action', ALERT_ACTIONS, ALERT_ACTION_WORDING, ['ja', 'en']],
    ['review kind', ['walk-in', 'review'], REVIEW_KIND_WORDING, ['ja', 'en']],
    ['review reason', REVIEW_REASONS, REVIEW_REASON_WORDING, ['ja', 'en']],
  ] as const)('has a text for every %s code in every language it is shown in, and no other key', (_, codes, wording, languages) => {
    expect(Object.keys(wording).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const texts = (wording as Record<string, Record<string, string>>)[code] ?? {};
      expect(Object.keys(texts).sort(), code).toEqual([...languages].sort());
      for (const language of languages) expect(texts[language]?.trim(), `${code} ${language}`).toBeTruthy();
    }
  });

  it('never tells the patient to use the 申立書: the desk decides whether it applies', () => {
    for (const code of PATIENT_GUIDANCE) {
      for (const language of LANGUAGES) {
        expect(PATIENT_GUIDANCE_WORDING[code][language], `${code} ${language}`).not.toMatch(/申立書|もうしたてしょ|self-declaration/i);
      }
    }
  });

  it('gives a kiosk catalogue its guidance in one language', () => {
    expect(patientGuidanceIn('en')['use-reader']).toBe(PATIENT_GUIDANCE_WORDING['use-reader'].en);
    expect(Object.keys(patientGuidanceIn('ja-easy'))).toEqual(Object.keys(PATIENT_GUIDANCE_WORDING));
  });
});
