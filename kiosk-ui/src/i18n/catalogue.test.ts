import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_STATUSES,
  CONSENT_ITEMS,
  DOCUMENT_DECISIONS,
  DOCUMENT_IDS,
  ELIGIBILITY_OUTCOMES,
  ERROR_CODES,
  FALLBACK_REASONS,
  FLOW_STEPS,
  LANGUAGES,
  NOTICES,
  PATIENT_GUIDANCE,
  STAFF_REASONS,
} from '@kiosk/protocol';
import { CATALOGUES, htmlLang, plain, segments, spoken } from './index.ts';
import type { Catalogue, Text } from './types.ts';

/** Every string reachable in a catalogue, functions called with a sample value. */
function allTexts(value: unknown): Text[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') return [String((value as (n: number, m?: number) => unknown)(2, 4))];
  if (value && typeof value === 'object') return Object.values(value).flatMap(allTexts);
  return [];
}

// Drift guard: the catalogues are typed against the protocol, but this also fails at runtime (in CI)
// when the protocol gains a step, reason, notice, guidance or error code that has no text.
const ENUM_SECTIONS: Array<[string, readonly string[], (c: Catalogue) => Record<string, unknown>]> = [
  ['steps', FLOW_STEPS, (c) => c.steps],
  ['staffReasons', STAFF_REASONS, (c) => c.staffReasons],
  ['fallbackReasons', FALLBACK_REASONS, (c) => c.fallbackReasons],
  ['notices', NOTICES, (c) => c.notices],
  ['guidance', PATIENT_GUIDANCE, (c) => c.guidance],
  ['errors', ERROR_CODES, (c) => c.errors],
  ['documents', DOCUMENT_IDS, (c) => c.fallback.documents],
  ['decisions', DOCUMENT_DECISIONS, (c) => c.fallback.decisions],
  ['consent items', CONSENT_ITEMS, (c) => c.consent.items],
  ['eligibility', ELIGIBILITY_OUTCOMES, (c) => c.eligibility],
  ['certificate', CERTIFICATE_STATUSES, (c) => c.certificate],
];

describe.each(LANGUAGES)('catalogue %s', (language) => {
  const catalogue = CATALOGUES[language];

  it.each(ENUM_SECTIONS)('has text for every protocol code in %s', (_name, codes, section) => {
    const entries = section(catalogue);
    const missing = codes.filter((code) => allTexts(entries[code]).filter((text) => plain(text).trim() !== '').length === 0);
    expect(missing).toEqual([]);
    expect(Object.keys(entries).filter((key) => !codes.includes(key))).toEqual([]);
  });

  it('gives every failure both what happened and what to do next', () => {
    for (const code of ERROR_CODES) {
      expect(plain(catalogue.errors[code].what).length, code).toBeGreaterThan(0);
      expect(plain(catalogue.errors[code].next).length, code).toBeGreaterThan(0);
    }
  });

  it('has no broken furigana markup', () => {
    for (const text of allTexts(catalogue)) expect(plain(text), text).not.toMatch(/[{}|]/);
  });
});

describe('やさしい日本語', () => {
  it('puts furigana on every kanji', () => {
    const bare = allTexts(CATALOGUES['ja-easy']).flatMap((text) =>
      segments(text)
        .filter((segment) => !segment.reading)
        .flatMap((segment) => segment.text.match(/[\u4e00-\u9fff]/g) ?? []),
    );
    // 年月日 only appear in the masked birth date, which is rendered as data, not read as words.
    expect(bare.filter((kanji) => !'年月日'.includes(kanji))).toEqual([]);
  });

  it('speaks the reading and shows the base text', () => {
    expect(spoken('{受付|うけつけ}です')).toBe('うけつけです');
    expect(plain('{受付|うけつけ}です')).toBe('受付です');
    expect(segments('a{受付|うけつけ}b')).toEqual([{ text: 'a' }, { text: '受付', reading: 'うけつけ' }, { text: 'b' }]);
  });

  it('is Japanese to the browser', () => {
    expect(htmlLang('ja-easy')).toBe('ja');
    expect(htmlLang('en')).toBe('en');
  });
});
