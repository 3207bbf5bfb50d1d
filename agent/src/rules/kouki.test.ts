import { describe, expect, it } from 'vitest';
import { koukiCertificatePolicy, koukiDocumentSent } from './kouki.ts';
import { DEFAULT_RULES } from './table.ts';

describe('koukiCertificatePolicy', () => {
  it.each([
    ['2024-12-01', 'before-transition'],
    ['2024-12-02', 'certificate-to-all'],
    ['2024-12-03', 'certificate-to-all'],
    ['2026-07-30', 'certificate-to-all'],
    ['2026-07-31', 'certificate-to-all'], // last day of the interim
    ['2026-08-01', 'certificate-by-age'],
    ['2026-08-02', 'certificate-by-age'],
    ['2026-11-22', 'certificate-by-age'],
  ] as const)('%s → %s', (date, policy) => {
    expect(koukiCertificatePolicy(date)).toBe(policy);
  });

  it('moves with the table', () => {
    const later = { ...DEFAULT_RULES, kouki: { ...DEFAULT_RULES.kouki, ageRuleFrom: '2027-08-01' } };
    expect(koukiCertificatePolicy('2026-08-01', later)).toBe('certificate-to-all');
  });
});

describe('koukiDocumentSent (informational)', () => {
  const user = { age: 80, usesIn12Months: 6, usesIn3Months: 1 };
  it.each([
    ['2026-07-31', user, 'shikaku_kakuninsho'], // interim: to everyone
    ['2026-08-01', user, 'shikaku_joho_oshirase'], // 84 and under who actually use the card
    ['2026-08-02', user, 'shikaku_joho_oshirase'],
    ['2026-08-01', { ...user, age: 85 }, 'shikaku_kakuninsho'],
    ['2026-08-01', { ...user, age: 84 }, 'shikaku_joho_oshirase'],
    ['2026-08-01', { ...user, usesIn12Months: 5 }, 'shikaku_kakuninsho'], // holding the card is not using it
    ['2026-08-01', { ...user, usesIn3Months: 0 }, 'shikaku_kakuninsho'],
    ['2024-12-01', user, 'old_hokensho'],
  ] as const)('%s %o → %s', (date, insured, document) => {
    expect(koukiDocumentSent(date, insured)).toBe(document);
  });
});
