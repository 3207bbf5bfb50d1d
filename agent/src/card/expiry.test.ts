import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CERTIFICATE_STATUSES } from '@kiosk/protocol';
import { addMonths, certificateStatus, DEFAULT_EXPIRY_POLICY, endOfMonth, type ExpiryPolicy } from './expiry.ts';

describe('addMonths', () => {
  it.each([
    ['2026-01-15', 3, '2026-04-15'],
    ['2026-11-15', 3, '2027-02-15'],
    ['2026-02-15', -3, '2025-11-15'],
    ['2025-11-30', 3, '2026-02-28'],
    ['2023-11-30', 3, '2024-02-29'],
    ['2026-01-31', 3, '2026-04-30'],
    ['2026-05-31', -3, '2026-02-28'],
    ['2026-03-31', 0, '2026-03-31'],
  ])('%s %+i months → %s', (day, months, expected) => {
    expect(addMonths(day, months)).toBe(expected);
  });
});

describe('endOfMonth', () => {
  it.each([
    ['2024-02-10', '2024-02-29'],
    ['2026-02-01', '2026-02-28'],
    ['2026-12-05', '2026-12-31'],
    ['2026-04-30', '2026-04-30'],
  ])('%s → %s', (day, expected) => {
    expect(endOfMonth(day)).toBe(expected);
  });
});

const fromMonthEnd: ExpiryPolicy = { ...DEFAULT_EXPIRY_POLICY, graceCountsFrom: 'end-of-expiry-month' };

describe('certificateStatus', () => {
  it.each([
    // Warning window: expiry at most 3 months ahead.
    ['2026-04-15', '2026-01-14', DEFAULT_EXPIRY_POLICY, 'valid'],
    ['2026-04-15', '2026-01-15', DEFAULT_EXPIRY_POLICY, 'expiring'],
    ['2026-04-15', '2026-01-16', DEFAULT_EXPIRY_POLICY, 'expiring'],
    ['2026-04-15', '2026-04-15', DEFAULT_EXPIRY_POLICY, 'expiring'],
    ['2026-02-28', '2025-11-27', DEFAULT_EXPIRY_POLICY, 'valid'],
    ['2026-02-28', '2025-11-28', DEFAULT_EXPIRY_POLICY, 'expiring'],
    ['2026-02-28', '2025-11-30', DEFAULT_EXPIRY_POLICY, 'expiring'],
    // Grace counted from the expiry date: through the same day three months on.
    ['2026-04-15', '2026-04-16', DEFAULT_EXPIRY_POLICY, 'grace'],
    ['2026-04-15', '2026-07-14', DEFAULT_EXPIRY_POLICY, 'grace'],
    ['2026-04-15', '2026-07-15', DEFAULT_EXPIRY_POLICY, 'grace'],
    ['2026-04-15', '2026-07-16', DEFAULT_EXPIRY_POLICY, 'expired'],
    ['2025-11-30', '2026-02-27', DEFAULT_EXPIRY_POLICY, 'grace'],
    ['2025-11-30', '2026-02-28', DEFAULT_EXPIRY_POLICY, 'grace'],
    ['2025-11-30', '2026-03-01', DEFAULT_EXPIRY_POLICY, 'expired'],
    ['2023-11-30', '2024-02-29', DEFAULT_EXPIRY_POLICY, 'grace'],
    ['2023-11-30', '2024-03-01', DEFAULT_EXPIRY_POLICY, 'expired'],
    ['2026-01-31', '2026-04-30', DEFAULT_EXPIRY_POLICY, 'grace'],
    ['2026-01-31', '2026-05-01', DEFAULT_EXPIRY_POLICY, 'expired'],
    // Grace counted from the end of the expiry month.
    ['2026-04-15', '2026-07-16', fromMonthEnd, 'grace'],
    ['2026-04-15', '2026-07-31', fromMonthEnd, 'grace'],
    ['2026-04-15', '2026-08-01', fromMonthEnd, 'expired'],
    ['2025-11-30', '2026-02-28', fromMonthEnd, 'grace'],
    ['2025-11-30', '2026-03-01', fromMonthEnd, 'expired'],
    ['2026-02-01', '2026-05-31', fromMonthEnd, 'grace'],
    ['2026-02-01', '2026-06-01', fromMonthEnd, 'expired'],
  ] as const)('expiry %s seen on %s (%j) → %s', (expiry, today, policy, expected) => {
    expect(certificateStatus(expiry, today, policy)).toBe(expected);
  });

  it('only moves forward (valid → expiring → grace → expired) as days pass', () => {
    const day = fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, day, fc.constantFrom(DEFAULT_EXPIRY_POLICY, fromMonthEnd), (expiry, a, b, policy) => {
        const [earlier, later] = a <= b ? [a, b] : [b, a];
        const rank = (today: string) => CERTIFICATE_STATUSES.indexOf(certificateStatus(expiry, today, policy));
        return rank(earlier) <= rank(later);
      }),
    );
  });
});
