import { describe, expect, it } from 'vitest';
import { CERTIFICATE_STATUSES } from '@kiosk/protocol';
import { certificateGraceLastDay, certificateRule, certificateStatusOn } from './certificate.ts';
import { DEFAULT_RULES, type RulesTable } from './table.ts';

const fromExpiryDate: RulesTable = { ...DEFAULT_RULES, certificate: { ...DEFAULT_RULES.certificate, graceCountsFrom: 'expiry-date' } };

describe('certificateStatusOn (last valid day 2026-05-15)', () => {
  const notAfter = '2026-05-15';

  it.each([
    ['2026-02-14', 'valid'],
    ['2026-02-15', 'expiring'], // 3 months before: the reader starts warning
    ['2026-02-16', 'expiring'],
    ['2026-05-14', 'expiring'],
    ['2026-05-15', 'expiring'],
    ['2026-05-16', 'grace'],
    ['2026-08-14', 'grace'],
    ['2026-08-15', 'grace'], // 3 months after the expiry date
    ['2026-08-16', 'expired'],
  ] as const)('counting from the expiry date (setting): %s is %s', (date, status) => {
    expect(certificateStatusOn(notAfter, date, fromExpiryDate)).toBe(status);
  });

  it.each([
    ['2026-08-15', 'grace'],
    ['2026-08-16', 'grace'],
    ['2026-08-30', 'grace'],
    ['2026-08-31', 'grace'], // 3 months after the end of May: the default (most sources)
    ['2026-09-01', 'expired'],
  ] as const)('counting from the end of the expiry month (default): %s is %s', (date, status) => {
    expect(certificateStatusOn(notAfter, date)).toBe(status);
  });

  it('an expiry in February is covered to the end of May (多摩市 example)', () => {
    expect(certificateGraceLastDay('2026-02-10')).toBe('2026-05-31');
    expect(certificateStatusOn('2026-02-10', '2026-05-31')).toBe('grace');
    expect(certificateStatusOn('2026-02-10', '2026-06-01')).toBe('expired');
  });

  it('clamps the grace to the shorter month', () => {
    expect(certificateGraceLastDay('2026-11-30', fromExpiryDate)).toBe('2027-02-28');
    expect(certificateGraceLastDay('2026-11-30')).toBe('2027-02-28');
    expect(certificateGraceLastDay('2026-11-15')).toBe('2027-02-28');
  });

  it('follows the configured number of months', () => {
    const sixMonths: RulesTable = { ...DEFAULT_RULES, certificate: { warnMonthsBefore: 1, graceMonths: 6, graceCountsFrom: 'expiry-date' } };
    expect(certificateStatusOn(notAfter, '2026-04-14', sixMonths)).toBe('valid');
    expect(certificateStatusOn(notAfter, '2026-04-15', sixMonths)).toBe('expiring');
    expect(certificateStatusOn(notAfter, '2026-11-15', sixMonths)).toBe('grace');
    expect(certificateStatusOn(notAfter, '2026-11-16', sixMonths)).toBe('expired');
  });
});

describe('certificateRule', () => {
  it('valid: the normal path with information sharing', () => {
    expect(certificateRule('valid')).toMatchObject({ use: 'normal', eligibilityCheck: true, informationSharing: true, smartphoneAllowed: true, notices: [] });
  });

  it('expiring: normal path plus a renewal reminder', () => {
    expect(certificateRule('expiring')).toMatchObject({
      use: 'renewal-reminder',
      eligibilityCheck: true,
      informationSharing: true,
      notices: ['certificate-expiring'],
      patientGuidance: 'certificate-renew-soon',
    });
  });

  it('grace: eligibility only, no information sharing, no スマホ保険証', () => {
    expect(certificateRule('grace')).toMatchObject({
      use: 'eligibility-only',
      eligibilityCheck: true,
      informationSharing: false,
      smartphoneAllowed: false,
      notices: ['certificate-grace', 'sharing-not-offered'],
    });
  });

  it('expired: leave the card path for the fallback documents', () => {
    expect(certificateRule('expired')).toMatchObject({
      use: 'fallback',
      eligibilityCheck: false,
      informationSharing: false,
      fallbackReason: 'certificate-expired',
    });
  });

  it('only a valid certificate goes without a reason code', () => {
    const withoutReason = CERTIFICATE_STATUSES.filter((status) => certificateRule(status).reason === undefined);
    expect(withoutReason).toEqual(['valid']);
  });
});
