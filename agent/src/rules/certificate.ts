import type { CertificateStatus, DocumentReason, FallbackReason, Notice, PatientGuidance } from '@kiosk/protocol';
import { addMonths, endOfMonth } from './dates.ts';
import { DEFAULT_RULES, type RulesTable } from './table.ts';

/** Last day of the eligibility-only grace after the certificate's last valid day (`notAfter`, a Japan date). */
export function certificateGraceLastDay(notAfter: string, table: RulesTable = DEFAULT_RULES): string {
  const { graceMonths, graceCountsFrom } = table.certificate;
  return graceCountsFrom === 'expiry-date' ? addMonths(notAfter, graceMonths) : endOfMonth(addMonths(notAfter, graceMonths));
}

/** First day the kiosk warns that the certificate will expire (the reader does the same). */
export function certificateWarningFrom(notAfter: string, table: RulesTable = DEFAULT_RULES): string {
  return addMonths(notAfter, -table.certificate.warnMonthsBefore);
}

/**
 * The 利用者証明用電子証明書's state on `date`, both Japan dates: valid; expiring (within the warning
 * window, still valid); grace (expired, within the grace); expired.
 */
export function certificateStatusOn(notAfter: string, date: string, table: RulesTable = DEFAULT_RULES): CertificateStatus {
  if (date > notAfter) return date <= certificateGraceLastDay(notAfter, table) ? 'grace' : 'expired';
  return date >= certificateWarningFrom(notAfter, table) ? 'expiring' : 'valid';
}

export type CertificateUse = 'normal' | 'renewal-reminder' | 'eligibility-only' | 'fallback';

/** What a certificate state allows the check-in flow to do. */
export interface CertificateRule {
  use: CertificateUse;
  /** The card may be used for the online eligibility check through the reader. */
  eligibilityCheck: boolean;
  /** 診療・薬剤・健診・手術 information sharing (consent screens) may be offered. */
  informationSharing: boolean;
  /** スマホ保険証 needs the card's certificate valid: no grace. */
  smartphoneAllowed: boolean;
  /** Notices to show next to the step. */
  notices: Notice[];
  patientGuidance: PatientGuidance;
  /** Reason code a document decision carries for this state (none when valid). */
  reason?: DocumentReason;
  /** Why the flow leaves the card path, when it must. */
  fallbackReason?: FallbackReason;
}

const CERTIFICATE_RULES: Record<CertificateStatus, CertificateRule> = {
  valid: { use: 'normal', eligibilityCheck: true, informationSharing: true, smartphoneAllowed: true, notices: [], patientGuidance: 'use-reader' },
  expiring: {
    use: 'renewal-reminder',
    eligibilityCheck: true,
    informationSharing: true,
    smartphoneAllowed: true,
    notices: ['certificate-expiring'],
    patientGuidance: 'certificate-renew-soon',
    reason: 'certificate-expiring',
  },
  grace: {
    use: 'eligibility-only',
    eligibilityCheck: true,
    informationSharing: false,
    smartphoneAllowed: false,
    notices: ['certificate-grace', 'sharing-not-offered'],
    patientGuidance: 'certificate-grace-renew',
    reason: 'certificate-grace-eligibility-only',
  },
  expired: {
    use: 'fallback',
    eligibilityCheck: false,
    informationSharing: false,
    smartphoneAllowed: false,
    notices: [],
    patientGuidance: 'certificate-expired',
    reason: 'certificate-expired',
    fallbackReason: 'certificate-expired',
  },
};

/** The single source for what each certificate state allows; the flow and decideDocuments both use it. */
export function certificateRule(status: CertificateStatus): CertificateRule {
  return CERTIFICATE_RULES[status];
}
