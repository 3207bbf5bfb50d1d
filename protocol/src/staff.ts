import { z } from 'zod';
import { DOCUMENT_DECISIONS, DOCUMENT_IDS, DocumentDecisionSchema, DocumentIdSchema, InsurerKindSchema } from './documents.ts';
import { AgentErrorSchema } from './errors.ts';
import { AuthMethodSchema, EligibilityOutcomeSchema, FlowStepSchema, StaffReasonSchema } from './flow.ts';
import { IsoDateSchema } from './dates.ts';
import { DriverStatusSchema } from './reader.ts';
import { plainText } from './text.ts';
import { RulesInfoSchema } from './rules-edition.ts';
import { ORCA_ACTIONS, OrcaEntrySchema, OrcaPatientIdSchema } from './orca.ts';

/**
 * The staff console's wire contract: HTTP routes under /staff/api and the socket.io namespace
 * "/staff". Nothing here is ever sent on the kiosk namespace.
 */

const isoDateTime = z.string().datetime({ offset: true });

export const STAFF_CSRF_HEADER = 'x-csrf-token';
export const STAFF_SESSION_COOKIE = 'kiosk_staff';

export const StaffLoginSchema = z.strictObject({
  username: plainText(64).min(1),
  password: z.string().min(1).max(256),
});
export type StaffLogin = z.infer<typeof StaffLoginSchema>;

/** Answer to login and GET /staff/api/session: who is signed in and the CSRF token for writes. */
export const StaffSessionInfoSchema = z.object({ username: z.string(), csrfToken: z.string() });
export type StaffSessionInfo = z.infer<typeof StaffSessionInfoSchema>;

export const CHECKIN_STATUSES = ['in-progress', 'completed', 'staff', 'fallback', 'abandoned', 'interrupted'] as const;
export type CheckInStatus = (typeof CHECKIN_STATUSES)[number];
/** Where a check-in came from: the kiosk with a card, the reader's own screen (face terminal), the desk. */
export const CHECKIN_ORIGINS = ['card', 'reader', 'manual'] as const;
export type CheckInOrigin = (typeof CHECKIN_ORIGINS)[number];
/** Facts about a row, as codes the console words: new patient, interrupted by a restart, entered at the desk, 目視, resolved at the desk. */
export const QUEUE_FLAGS = ['new-patient', 'interrupted', 'manual', 'visual', 'resolved'] as const;
export type QueueFlag = (typeof QUEUE_FLAGS)[number];

/** One row of today's queue. No name, birth date or insurance number: the desk sees those elsewhere. */
export const QueueEntrySchema = z.object({
  sessionId: z.string(),
  status: z.enum(CHECKIN_STATUSES),
  origin: z.enum(CHECKIN_ORIGINS),
  startedAt: isoDateTime,
  endedAt: isoDateTime.optional(),
  queueNumber: z.number().int().positive().optional(),
  authMethod: AuthMethodSchema.optional(),
  eligibilityOutcome: EligibilityOutcomeSchema.optional(),
  newPatient: z.boolean(),
  staffReason: StaffReasonSchema.optional(),
  /** The clinic's patient number, once the check-in has one (known or newly registered patient). */
  patientNumber: z.string().optional(),
  /** The documents the patient chose on the kiosk's manual path, or the desk entered. */
  documents: z.array(DocumentIdSchema).optional(),
  /** The rules' verdict on those documents. */
  documentDecision: z.enum(DOCUMENT_DECISIONS).optional(),
  flags: z.array(z.enum(QUEUE_FLAGS)),
  /** The 受付 in the receipt computer (ORCA), when the agent sends check-ins there. */
  orca: OrcaEntrySchema.optional(),
});
export type QueueEntry = z.infer<typeof QueueEntrySchema>;

/** Alerts that are not about one session's flow. */
export const SYSTEM_ALERTS = ['reader-down', 'terminal-down', 'no-reader'] as const;
export const AlertKindSchema = z.union([StaffReasonSchema, z.enum(SYSTEM_ALERTS)]);
export type AlertKind = z.infer<typeof AlertKindSchema>;

export const STAFF_ACTIONS = ['approve-visual', 'decline-visual', 'take-over', 'dismiss', ...ORCA_ACTIONS] as const;
export const StaffActionTypeSchema = z.enum(STAFF_ACTIONS);
export type StaffActionType = z.infer<typeof StaffActionTypeSchema>;

/**
 * What staff can do about an alert, in the order the console offers it: the staff actions (POST
 * /staff/api/actions or "staff:action") and 'desk-entry', finishing the check-in at the desk with a manual
 * entry linked to the alert's session (POST /staff/api/manual-entry with its sessionId).
 */
export const ALERT_ACTIONS = ['approve-visual', 'decline-visual', 'desk-entry', 'take-over', 'dismiss'] as const;
export const AlertActionSchema = z.enum(ALERT_ACTIONS);
export type AlertAction = z.infer<typeof AlertActionSchema>;

export const AlertSchema = z.object({
  /** Stable id: "session:<sessionId>" or "system:<kind>". */
  id: z.string(),
  kind: AlertKindSchema,
  sessionId: z.string().nullable(),
  since: isoDateTime,
  /** The session is on the kiosk right now (目視 buttons act on it). */
  live: z.boolean(),
  /** Exactly the actions the agent accepts for this alert now (the flow's answer for a live session). */
  actions: z.array(AlertActionSchema),
});
export type Alert = z.infer<typeof AlertSchema>;

/** Why a face result from the 資格確認端末 could not be bound to a kiosk session by itself. */
/** birth-date-unusable: a birth date in the result is cut by the terminal's output setting or is no calendar date. */
export const REVIEW_REASONS = ['same-second', 'several-sessions', 'several-results', 'birth-date-mismatch', 'birth-date-unusable', 'no-timestamp'] as const;
export const ReviewReasonSchema = z.enum(REVIEW_REASONS);
export type ReviewReason = z.infer<typeof ReviewReasonSchema>;

/** A face result waiting for a person: a walk-in (no session was waiting) or an ambiguous binding. No personal data. */
export const ReviewAlertSchema = z.object({
  /** "oqs:<item id>" */
  id: z.string(),
  kind: z.enum(['walk-in', 'review']),
  reason: ReviewReasonSchema.optional(),
  outcome: EligibilityOutcomeSchema.optional(),
  /** Kiosk sessions the result could belong to (review items). */
  sessionIds: z.array(z.string()),
  since: isoDateTime,
  actions: z.array(StaffActionTypeSchema),
});
export type ReviewAlert = z.infer<typeof ReviewAlertSchema>;

/** Everything the console draws; sent on connect and on every change. */
export const StaffBoardSchema = z.object({
  day: IsoDateSchema,
  queue: z.array(QueueEntrySchema),
  alerts: z.array(AlertSchema),
  reader: DriverStatusSchema,
  kiosk: z.object({ sessionId: z.string().nullable(), step: FlowStepSchema }),
  /** Present only when the driver keeps a review queue (oqs, pcsc+oqs). */
  reviews: z.array(ReviewAlertSchema).optional(),
  /** Present (true) only in the demonstration: the people on this board are invented. */
  demo: z.literal(true).optional(),
  /** The document rules in force: their edition, the age past which staff are warned, a clinic override. */
  rules: RulesInfoSchema.optional(),
});
export type StaffBoard = z.infer<typeof StaffBoardSchema>;

/** POST /staff/api/actions and socket "staff:action". */
export const StaffActionRequestSchema = z.strictObject({
  type: StaffActionTypeSchema,
  /** Session id for session alerts; "system:<kind>" ids are dismissed with alertId. */
  sessionId: plainText(128).min(1).optional(),
  alertId: plainText(160).min(1).optional(),
  /** orca-resend only: the ORCA 患者番号 staff chose (a candidate) or entered for this check-in. */
  orcaPatientId: OrcaPatientIdSchema.optional(),
});
export type StaffActionRequest = z.infer<typeof StaffActionRequestSchema>;

const digits = (min: number, max: number) => z.string().regex(new RegExp(`^[0-9]{${min},${max}}$`));

/** Manual entry on the fallback path. Symbol may hold kana/kanji as printed; the rest are digits. No text field takes control or bidi characters. */
export const ManualEntrySchema = z.strictObject({
  /** The kiosk session this entry resolves (fallback / staff / interrupted), when there is one. */
  sessionId: plainText(128).min(1).optional(),
  documents: z.array(DocumentIdSchema).min(1).max(DOCUMENT_IDS.length),
  insurerNumber: plainText(8).optional(),
  symbol: plainText(40).optional(),
  number: plainText(40).optional(),
  branch: digits(1, 2).optional(),
  /** Needed only for 一件照会; never stored. */
  birthDate: IsoDateSchema.optional(),
  /** medical_ticket: the last day of the month printed on the 医療券. */
  printedExpiry: z
    .strictObject({ shikaku_kakuninsho: IsoDateSchema.optional(), old_hokensho: IsoDateSchema.optional(), medical_ticket: IsoDateSchema.optional() })
    .optional(),
  /** The patient cannot operate the reader (the 居宅同意取得型 app at the window applies). */
  patientCannotOperateReader: z.boolean().optional(),
  /** Run 一件照会 with the numbers when the qualification service is available. */
  lookup: z.boolean().optional(),
});
export type ManualEntry = z.infer<typeof ManualEntrySchema>;

/** Answer to preview and save. */
export const ManualEntryResultSchema = z.object({
  decision: DocumentDecisionSchema,
  /** null: no insurer number entered. */
  insurerNumber: z.object({ valid: z.boolean(), kind: InsurerKindSchema.optional(), message: z.string().optional() }).nullable(),
  lookup: z.object({ outcome: EligibilityOutcomeSchema.or(z.literal('unavailable')), copayPercent: z.number().optional() }).optional(),
  /** Present after saving. */
  saved: z.object({ entryId: z.number().int(), sessionId: z.string(), queueNumber: z.number().int().positive().optional() }).optional(),
});
export type ManualEntryResult = z.infer<typeof ManualEntryResultSchema>;

/** The answer to a staff action, over HTTP (data null) and as the socket's acknowledgement. */
export const StaffActionReplySchema = z.union([
  z.object({ ok: z.literal(true), data: z.null().optional() }),
  z.object({ ok: z.literal(false), error: AgentErrorSchema }),
]);
export type StaffActionReply = z.infer<typeof StaffActionReplySchema>;

/** Server → client events on "/staff", each with its payload schema: the agent sends, the console validates. */
export const staffServerToClient = { 'staff:board': StaffBoardSchema } as const;
/** Client → server events on "/staff" (acknowledged like the kiosk's), each with its payload schema. */
export const staffClientToServer = { 'staff:action': StaffActionRequestSchema } as const;

/** socket.io's event maps for "/staff", derived from the schemas above so both ends type the same payloads. */
export type StaffServerToClientEvents = {
  [K in keyof typeof staffServerToClient]: (payload: z.infer<(typeof staffServerToClient)[K]>) => void;
};
export type StaffClientToServerEvents = {
  [K in keyof typeof staffClientToServer]: (payload: z.infer<(typeof staffClientToServer)[K]>, ack: (reply: StaffActionReply) => void) => void;
};
