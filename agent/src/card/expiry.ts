import type { CertificateStatus } from '@kiosk/protocol';

/** Sources disagree whether the post-expiry grace counts from the expiry date or from the end of its month. */
export type GraceCountsFrom = 'expiry-date' | 'end-of-expiry-month';

export interface ExpiryPolicy {
  /** Warn this many months before the expiry day (document rules: 3). */
  warnMonths: number;
  /** Eligibility still works this many months after expiry (document rules: 3). */
  graceMonths: number;
  graceCountsFrom: GraceCountsFrom;
}

export const DEFAULT_EXPIRY_POLICY: ExpiryPolicy = { warnMonths: 3, graceMonths: 3, graceCountsFrom: 'expiry-date' };

const parts = (day: string): [number, number, number] => day.split('-').map(Number) as [number, number, number];
const format = (year: number, month: number, day: number): string =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Calendar months added to a YYYY-MM-DD day; a day missing in the target month becomes its last day (11-30 + 3 → 02-28/29). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = parts(day);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return format(targetYear, targetMonth, Math.min(date, daysInMonth(targetYear, targetMonth)));
}

export function endOfMonth(day: string): string {
  const [year, month] = parts(day);
  return format(year, month, daysInMonth(year, month));
}

/**
 * Status of a certificate whose last valid Japan day is `expiryDay`, seen on Japan day `today`
 * (both YYYY-MM-DD, so string order is date order):
 * - expiring: the expiry day is at most `warnMonths` months ahead;
 * - grace: expired, and today is at most `graceMonths` months after the expiry day (or after the end of
 *   the expiry month), that last day included;
 * - expired: later than that.
 */
export function certificateStatus(expiryDay: string, today: string, policy: ExpiryPolicy = DEFAULT_EXPIRY_POLICY): CertificateStatus {
  if (today <= expiryDay) return expiryDay <= addMonths(today, policy.warnMonths) ? 'expiring' : 'valid';
  const graceAfterExpiry = addMonths(expiryDay, policy.graceMonths);
  const lastGraceDay = policy.graceCountsFrom === 'expiry-date' ? graceAfterExpiry : endOfMonth(graceAfterExpiry);
  return today <= lastGraceDay ? 'grace' : 'expired';
}
