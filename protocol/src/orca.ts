import { z } from 'zod';
import type { StaffWording } from './wording.ts';

/**
 * A check-in's 受付 in the clinic's receipt computer (ORCA / WebORCA), as the staff console shows it.
 * Only ORCA's 患者番号 appear here, never a name or an insurance number.
 */

/** pending: waiting to be sent (ORCA down, slow or busy); sent: ORCA holds the 受付; attention: a person must act; cancelled: the 受付 was cancelled. */
export const ORCA_STATES = ['pending', 'sent', 'attention', 'cancelled'] as const;
export const OrcaStateSchema = z.enum(ORCA_STATES);
export type OrcaState = z.infer<typeof OrcaStateSchema>;

/**
 * Why a 受付 waits for a person:
 * - choose-patient: several ORCA patients match (or the one found has other insurance): staff choose the 患者番号;
 * - patient-not-found: no ORCA patient matches a patient the kiosk did not register as new;
 * - patient-unknown: the agent restarted before the patient was found in ORCA, or the desk entry carries no name:
 *   the patient must be chosen or entered at the desk (the agent keeps no names to search with);
 * - orca-refused: ORCA answered with an error (its message is shown).
 */
export const ORCA_ATTENTION_REASONS = ['choose-patient', 'patient-not-found', 'patient-unknown', 'orca-refused'] as const;
export const OrcaAttentionReasonSchema = z.enum(ORCA_ATTENTION_REASONS);
export type OrcaAttentionReason = z.infer<typeof OrcaAttentionReasonSchema>;

export const ORCA_ACTIONS = ['orca-resend', 'orca-cancel'] as const;
export type OrcaAction = (typeof ORCA_ACTIONS)[number];

/** ORCA's 患者番号: digits, as ORCA numbers them (leading zeros kept). */
export const OrcaPatientIdSchema = z.string().regex(/^[0-9]{1,20}$/);

export const OrcaEntrySchema = z.object({
  state: OrcaStateSchema,
  reason: OrcaAttentionReasonSchema.optional(),
  /** ORCA's own Api_Result and Api_Result_Message when it refused (orca-refused), or the last transient failure while pending. */
  apiResult: z.string().optional(),
  message: z.string().optional(),
  /** choose-patient: the candidates' 患者番号 only. */
  candidates: z.array(OrcaPatientIdSchema).optional(),
  /** The ORCA patient the 受付 is (or will be) for, once known. */
  patientId: OrcaPatientIdSchema.optional(),
  /** ORCA's 受付ID once sent. */
  acceptanceId: z.string().optional(),
  /** What staff may do now: resend (attention, optionally naming the 患者番号) and cancel (pending, attention, sent). */
  actions: z.array(z.enum(ORCA_ACTIONS)),
});
export type OrcaEntry = z.infer<typeof OrcaEntrySchema>;

/** The words for each state, for the console (one text per state and language). */
export const ORCA_STATE_WORDING: Readonly<Record<OrcaState, StaffWording>> = {
  pending: { ja: '送信待ち', en: 'Pending' },
  sent: { ja: '送信済み', en: 'Sent' },
  attention: { ja: '要確認', en: 'Needs attention' },
  cancelled: { ja: '取消済み', en: 'Cancelled' },
};

export const ORCA_ATTENTION_WORDING: Readonly<Record<OrcaAttentionReason, StaffWording>> = {
  'choose-patient': { ja: 'ORCA: 患者を選んでください', en: 'ORCA: choose the patient' },
  'patient-not-found': { ja: 'ORCA: 該当する患者がいません。患者番号を入力してください', en: 'ORCA: no matching patient; enter the patient number' },
  'patient-unknown': {
    ja: 'ORCA: 窓口で患者を選ぶか患者番号を入力してください',
    en: 'ORCA: choose or enter the patient at the desk',
  },
  'orca-refused': { ja: 'ORCA が受け付けませんでした', en: 'ORCA refused the request' },
};

export const ORCA_ACTION_WORDING: Readonly<Record<OrcaAction, StaffWording>> = {
  'orca-resend': { ja: '再送', en: 'Resend' },
  'orca-cancel': { ja: '受付取消', en: 'Cancel 受付' },
};
