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
  'self_declaration',
] as const;
export const DocumentIdSchema = z.enum(DOCUMENT_IDS);
export type DocumentId = z.infer<typeof DocumentIdSchema>;

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
] as const;
export type StaffCheck = (typeof STAFF_CHECKS)[number];

export const DocumentDecisionSchema = z.object({
  /** accepted | conditional (accepted once the staff checks are done) | rejected */
  decision: z.enum(DOCUMENT_DECISIONS),
  /** The documents the decision was made for. */
  documents: z.array(DocumentIdSchema),
  /** Stable reason codes, e.g. "notice-alone-ended-2026-03-31". */
  reasons: z.array(z.string()),
  staffChecks: z.array(z.enum(STAFF_CHECKS)),
  patientGuidance: z.enum(PATIENT_GUIDANCE),
});
export type DocumentDecision = z.infer<typeof DocumentDecisionSchema>;
