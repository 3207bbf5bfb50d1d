import { describe, expect, it } from 'vitest';
import { koukiCertificatePolicy } from './kouki.ts';
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
