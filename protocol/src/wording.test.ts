import { describe, expect, it } from 'vitest';
import { DOCUMENT_REASONS, PATIENT_GUIDANCE, STAFF_CHECKS } from './documents.ts';
import { LANGUAGES } from './flow.ts';
import { DOCUMENT_REASON_WORDING, PATIENT_GUIDANCE_WORDING, patientGuidanceIn, STAFF_CHECK_WORDING } from './wording.ts';

describe('the one wording source', () => {
  it.each([
    ['patient guidance', PATIENT_GUIDANCE, PATIENT_GUIDANCE_WORDING, LANGUAGES],
    ['staff checks', STAFF_CHECKS, STAFF_CHECK_WORDING, ['ja', 'en']],
    ['reasons', DOCUMENT_REASONS, DOCUMENT_REASON_WORDING, ['ja', 'en']],
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
