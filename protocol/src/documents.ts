import { z } from 'zod';

/** Document ids exactly as on the rules page (shared/domain/document-rules.md). */
export const DOCUMENT_IDS = [
  'myna_card',
  'smartphone_myna',
  'shikaku_joho_oshirase',
  'shikaku_kakuninsho',
  'old_hokensho',
  'mynaportal_screen',
  'mobile_consent_app',
  /** 医療券 (医療扶助 / 生活保護), valid for the month printed on it; staff always confirm (公費). */
  'medical_ticket',
  'self_declaration',
] as const;
export const DocumentIdSchema = z.enum(DOCUMENT_IDS);
export type DocumentId = z.infer<typeof DocumentIdSchema>;

/**
 * Kind of insurer, derivable from a 保険者番号: 国保 (6 digits), 後期高齢者 (8 digits starting 39), or any
 * other. The temporary handling of 2025–2026 started on different days for each.
 */
export const INSURER_KINDS = ['kokuho', 'kouki', 'other'] as const;
export const InsurerKindSchema = z.enum(INSURER_KINDS);
export type InsurerKind = z.infer<typeof InsurerKindSchema>;

export const DOCUMENT_DECISIONS = ['accepted', 'conditional', 'rejected'] as const;
export type DocumentDecisionKind = (typeof DOCUMENT_DECISIONS)[number];

/** What the patient is told, as a catalogue key the UIs translate (ja, en, やさしい日本語). */
export const PATIENT_GUIDANCE = [
  'use-reader',
  'card-with-notice-accepted',
  'kakuninsho-accepted',
  'kakuninsho-expired',
  'notice-alone-not-enough',
  'old-card-not-accepted',
  'smartphone-accepted',
  'smartphone-not-accepted',
  'self-declaration-at-desk',
  'nothing-presented',
  'certificate-renew-soon',
  'certificate-grace-renew',
  'certificate-expired',
  'show-notice-or-portal',
  'staff-reads-card-at-desk',
  'old-card-accepted',
  'desk-confirms-insurance',
  'smartphone-portal-screen-at-desk',
  'medical-ticket-at-desk',
  'medical-ticket-not-valid',
] as const;
export type PatientGuidance = (typeof PATIENT_GUIDANCE)[number];

/** What staff must do before accepting, as stable codes. */
export const STAFF_CHECKS = [
  'visual-photo-check',
  'enter-insurance-from-notice',
  'online-single-lookup',
  'check-printed-expiry',
  'offer-self-declaration',
  'staff-decides-self-pay',
  'use-mobile-consent-app',
  'confirm-kokuho-insurer',
  'confirm-kokuho-or-kouki-insurer',
  'confirm-medical-ticket',
] as const;
export type StaffCheck = (typeof STAFF_CHECKS)[number];

/**
 * Why a decision was made. Stable codes; they name no date, because the dates are configuration
 * (agent/src/rules/table.ts) and may move.
 */
export const DOCUMENT_REASONS = [
  'no-documents',
  'myna-card-via-reader',
  'certificate-expiring',
  'certificate-grace-eligibility-only',
  'certificate-expired',
  'reader-or-online-unavailable',
  'smartphone-via-general-reader',
  'smartphone-before-start',
  'smartphone-needs-general-purpose-reader',
  'smartphone-needs-valid-certificate',
  'card-with-notice-fallback',
  'card-with-portal-screen-fallback',
  /** 一件照会 "not found" / "invalid, newer qualification" with the お知らせ: the new insurer's data is not registered yet. */
  'card-with-notice-new-insurer-pending',
  'smartphone-unreadable-portal-screen',
  'patient-cannot-operate-reader',
  'card-via-mobile-consent-app',
  'mobile-consent-app-before-start',
  'mobile-consent-app-needs-online',
  'mobile-consent-app-needs-card',
  'document-before-issuance-start',
  'kakuninsho-within-printed-expiry',
  'kakuninsho-expiry-unknown',
  'kakuninsho-expired',
  'medical-ticket-within-printed-month',
  'medical-ticket-expiry-unknown',
  'medical-ticket-outside-printed-month',
  'old-card-within-printed-expiry',
  'old-card-expiry-unknown',
  'old-card-expired',
  'old-card-after-last-valid-day',
  'temporary-handling-expired-old-card',
  'temporary-handling-notice-alone',
  'temporary-handling-kokuho-only',
  'temporary-handling-kokuho-kouki-only',
  'temporary-handling-needs-online',
  'temporary-handling-ended',
  'notice-alone-not-enough',
  'portal-screen-alone-not-enough',
  'self-declaration-last-resort',
  /** The online 一件照会 answered invalid, newer qualification, not found or several matches for the insurance entered. */
  'online-lookup-not-valid',
] as const;
export type DocumentReason = (typeof DOCUMENT_REASONS)[number];

export const DocumentDecisionSchema = z.object({
  /** accepted | conditional (accepted once the staff checks are done) | rejected */
  decision: z.enum(DOCUMENT_DECISIONS),
  /** The documents the decision was made for. */
  documents: z.array(DocumentIdSchema),
  /** Stable reason codes, e.g. "notice-alone-not-enough" + "temporary-handling-ended". */
  reasons: z.array(z.enum(DOCUMENT_REASONS)),
  staffChecks: z.array(z.enum(STAFF_CHECKS)),
  patientGuidance: z.enum(PATIENT_GUIDANCE),
});
export type DocumentDecision = z.infer<typeof DocumentDecisionSchema>;
