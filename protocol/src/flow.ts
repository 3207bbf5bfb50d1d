import { z } from 'zod';
import { AgentErrorSchema } from './errors.ts';
import { DOCUMENT_IDS, DocumentDecisionSchema, DocumentIdSchema } from './documents.ts';
import { IsoDateSchema } from './dates.ts';
import { DriverStatusSchema } from './reader.ts';

export const LANGUAGES = ['ja', 'en', 'ja-easy'] as const;
export const LanguageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof LanguageSchema>;

/**
 * The screen the kiosk shows. The agent owns the transitions; the UI renders one screen per step.
 */
export const FLOW_STEPS = [
  'welcome', // waiting for a card (or for "start")
  'reading', // card detected, being identified and read
  'choose-auth', // face / PIN / ask staff
  'face', // face authentication in progress on the reader
  'pin', // 4-digit PIN entry
  'pin-confirm-last-try', // one try left: explicit second confirmation before using it
  'visual-check', // waiting for staff to compare the card photo (目視確認)
  'verifying', // certificate check and proof of possession
  'eligibility', // waiting for the online eligibility result
  'registration-offer', // card not registered for insurance use: explain and ask
  'registering', // 利用登録 in progress
  'result', // eligibility confirmed: masked details and notices
  'consent', // information-sharing consents
  'prescription', // 電子処方箋 or 紙の処方箋
  'new-patient', // 初診: confirm pre-filled details, optional phone
  'completed', // queue number
  'fallback', // manual path: which documents do you have?
  'staff', // a person will come (patient asked, or routed)
  'error', // something to fix by the patient (e.g. not a My Number card, card removed)
] as const;
export const FlowStepSchema = z.enum(FLOW_STEPS);
export type FlowStep = z.infer<typeof FlowStepSchema>;

export const CONSENT_ITEMS = ['diagnosis', 'medication', 'checkup', 'operation'] as const;
export const ConsentItemSchema = z.enum(CONSENT_ITEMS);
export type ConsentItem = z.infer<typeof ConsentItemSchema>;

export const AUTH_METHODS = ['face', 'pin', 'visual'] as const;
export const AuthMethodSchema = z.enum(AUTH_METHODS);
export type AuthMethod = z.infer<typeof AuthMethodSchema>;

export const CARD_KINDS = ['my-number-card', 'juki-card', 'android', 'iphone', 'other'] as const;
export const CardKindSchema = z.enum(CARD_KINDS);
export type CardKind = z.infer<typeof CardKindSchema>;

export const CERTIFICATE_STATUSES = ['valid', 'expiring', 'grace', 'expired'] as const;
export const CertificateStatusSchema = z.enum(CERTIFICATE_STATUSES);
export type CertificateStatus = z.infer<typeof CertificateStatusSchema>;

export const ELIGIBILITY_OUTCOMES = ['valid', 'invalid', 'invalid-new-qualification', 'not-found', 'multiple', 'error'] as const;
export const EligibilityOutcomeSchema = z.enum(ELIGIBILITY_OUTCOMES);
export type EligibilityOutcome = z.infer<typeof EligibilityOutcomeSchema>;

export const STAFF_REASONS = [
  'patient-request',
  'pin-failures',
  'pin-blocked',
  'face-failed',
  'visual-declined',
  'not-my-number-card',
  'certificate-expired',
  'certificate-untrusted',
  'eligibility-invalid',
  'eligibility-new-qualification',
  'eligibility-not-found',
  'eligibility-multiple',
  'eligibility-error',
  'eligibility-review',
  'registration-failed',
  'card-lost',
  'fallback-documents',
  'agent-restarted',
  /** The patient chose 目視確認: staff compare the card photo with the patient. */
  'visual-check',
  /** Records cannot be saved: the kiosk takes no new check-ins until staff fix it. */
  'storage-unavailable',
  /** The card proved who the patient is, but no source answered for their insurance: staff confirm it. */
  'insurance-pending',
] as const;
export const StaffReasonSchema = z.enum(STAFF_REASONS);
export type StaffReason = z.infer<typeof StaffReasonSchema>;

export const FALLBACK_REASONS = ['no-reader', 'reader-service-down', 'oqs-unavailable', 'read-errors', 'certificate-expired', 'patient-choice'] as const;
export const FallbackReasonSchema = z.enum(FALLBACK_REASONS);
export type FallbackReason = z.infer<typeof FallbackReasonSchema>;

/** Notices shown alongside a step; catalogue keys. */
export const NOTICES = ['certificate-expiring', 'certificate-grace', 'consent-reused', 'sharing-not-offered', 'reader-restored'] as const;
export const NoticeSchema = z.enum(NOTICES);
export type Notice = z.infer<typeof NoticeSchema>;

const isoDateTime = z.string().datetime({ offset: true });

const pin = z.string().regex(/^\d{4}$/, 'PIN must be exactly 4 digits');

/**
 * Fields every command may carry. `sessionId` is the session the sender's screen shows (null on the
 * welcome screen): when given, the agent refuses a command for a session that is no longer the
 * current one, so a screen left over from one patient never acts on the next.
 */
const command = <Shape extends z.ZodRawShape>(shape: Shape) => z.object({ ...shape, sessionId: z.string().max(128).nullable().optional() });

/** Commands that concern whoever stands at the kiosk, not a patient's session: never refused as stale. */
export const SESSION_FREE_COMMANDS = ['set-language', 'call-staff'] as const;

/** Commands a kiosk UI may send on "flow:command". Discriminated by "type". */
export const FlowCommandSchema = z.discriminatedUnion('type', [
  /** Patient tapped "start" on the welcome screen (placing a card also starts). */
  command({ type: z.literal('start') }),
  command({ type: z.literal('set-language'), language: LanguageSchema }),
  /** 'visual': ask staff for 目視確認 (offered as auth.methods 'staff'). */
  command({ type: z.literal('choose-auth'), method: z.enum(['face', 'pin', 'visual']) }),
  /** The PIN travels once, is used once and is never stored, logged or echoed. */
  command({ type: z.literal('submit-pin'), pin }),
  /** Second confirmation required before spending the last PIN try. */
  command({ type: z.literal('confirm-last-try'), confirm: z.boolean() }),
  command({ type: z.literal('registration'), agree: z.boolean() }),
  command({ type: z.literal('consent'), all: z.boolean().optional(), items: z.partialRecord(ConsentItemSchema, z.boolean()).optional() }),
  command({ type: z.literal('prescription'), choice: z.enum(['electronic', 'paper']) }),
  command({
    type: z.literal('new-patient'),
    confirmed: z.boolean(),
    /** Optional phone number, digits and hyphens, 10–13 characters. */
    phone: z
      .string()
      .regex(/^[0-9-]{10,13}$/)
      .optional(),
  }),
  command({ type: z.literal('continue') }),
  command({ type: z.literal('manual-path') }),
  command({ type: z.literal('fallback-documents'), documents: z.array(DocumentIdSchema).max(DOCUMENT_IDS.length) }),
  command({ type: z.literal('call-staff') }),
  command({ type: z.literal('reset'), reason: z.enum(['idle', 'patient', 'completed']) }),
]);
export type FlowCommand = z.infer<typeof FlowCommandSchema>;

/** A command as it travels on "flow:command": a session command names its session (null on the welcome screen). */
export const FlowCommandRequestSchema = FlowCommandSchema.superRefine((command, ctx) => {
  if (command.sessionId === undefined && !(SESSION_FREE_COMMANDS as readonly string[]).includes(command.type)) {
    ctx.addIssue({ code: 'custom', path: ['sessionId'], message: 'A session command names its session: sessionId (null on the welcome screen)' });
  }
});
export type FlowCommandType = FlowCommand['type'];
/** Every command type, in the schema's order (the snapshot's `can` lists those accepted now). */
export const FLOW_COMMAND_TYPES = FlowCommandSchema.options.map((option) => option.shape.type.value) as [FlowCommandType, ...FlowCommandType[]];

/**
 * Everything a UI needs to draw the current screen. Personal data appears only masked, and only
 * while the patient must confirm it; after a reset every optional field is absent.
 */
export const FlowSnapshotSchema = z.object({
  /** Increases by one with every change; a UI ignores a snapshot older than the one it shows. */
  seq: z.number().int().nonnegative(),
  /** Present (true) only in the demonstration: mock reader, invented people, no real eligibility check. */
  demo: z.literal(true).optional(),
  /**
   * The command types the agent accepts now, computed from the check-in machine: a UI offers only these
   * (choose-auth's methods are auth.methods). Anything else is refused with INPUT_NOT_ALLOWED_NOW.
   */
  can: z.array(z.enum(FLOW_COMMAND_TYPES)),
  /** Opaque id of the current check-in session; null on the welcome screen. */
  sessionId: z.string().nullable(),
  step: FlowStepSchema,
  /** When the session started (ISO 8601 with offset). */
  startedAt: isoDateTime.optional(),
  language: LanguageSchema,
  /** Reader/driver availability, for the "manual path" and staff. */
  reader: DriverStatusSchema,
  /** Coarse progress for reading / verifying / eligibility steps. */
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().positive() }).optional(),
  card: z.object({ kind: CardKindSchema, hasPin: z.boolean() }).optional(),
  auth: z
    .object({
      /** Methods the patient may choose now. */
      methods: z.array(z.enum(['face', 'pin', 'staff'])),
      method: AuthMethodSchema.optional(),
      /** PIN tries left on the card, read without spending one. */
      pinTriesLeft: z.number().int().min(0).max(3).optional(),
      /** Wrong PINs entered in this session (at 2 the flow routes to staff). */
      pinFailures: z.number().int().nonnegative(),
      /** What this authentication is for. */
      purpose: z.enum(['check-in', 'registration']),
    })
    .optional(),
  certificate: z.object({ status: CertificateStatusSchema, /** YYYY-MM-DD, Japan time */ notAfter: IsoDateSchema }).optional(),
  /** Masked for a public screen: name like "山田 *", birth date like "19**年**月**日" as catalogue-free parts. */
  patient: z
    .object({
      maskedName: z.string(),
      /** Only the birth year's first two digits; e.g. "19". The UI renders the rest masked. */
      birthYearPrefix: z.string().max(2),
      isNewPatient: z.boolean(),
      /** Copay ratio to show ("3割" etc.), percent; absent when unknown. */
      copayPercent: z.number().int().min(0).max(100).optional(),
    })
    .optional(),
  eligibility: z.object({ outcome: EligibilityOutcomeSchema }).optional(),
  consent: z
    .object({
      /** Items offered (診療 and 手術 only when the clinic enabled them). Empty: sharing not offered. */
      offered: z.array(ConsentItemSchema),
      /** Recorded answers, present after the patient answered or when reused within 24 h. */
      given: z.partialRecord(ConsentItemSchema, z.boolean()).optional(),
      recordedAt: isoDateTime.optional(),
    })
    .optional(),
  prescription: z.object({ choice: z.enum(['electronic', 'paper']).optional() }).optional(),
  registration: z.object({ agreed: z.boolean().optional(), done: z.boolean() }).optional(),
  fallback: z
    .object({
      reason: FallbackReasonSchema,
      /** Documents the patient said they have. */
      documents: z.array(DocumentIdSchema),
      decision: DocumentDecisionSchema.optional(),
    })
    .optional(),
  staff: z.object({ reason: StaffReasonSchema, since: isoDateTime }).optional(),
  notices: z.array(NoticeSchema),
  queueNumber: z.number().int().positive().optional(),
  /** The last error relevant to this screen (e.g. PIN_INCORRECT with details.triesLeft). */
  error: AgentErrorSchema.optional(),
});
export type FlowSnapshot = z.infer<typeof FlowSnapshotSchema>;

/**
 * Typed events, one per transition that matters to someone outside the flow (staff console, logs,
 * integration). They carry no personal data.
 */
export const FlowEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session-started'), sessionId: z.string(), at: isoDateTime }),
  z.object({
    type: z.literal('card-read'),
    sessionId: z.string(),
    kind: CardKindSchema,
    reader: z.string(),
    apduCount: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('card-removed'), sessionId: z.string().nullable() }),
  z.object({
    type: z.literal('authentication'),
    sessionId: z.string(),
    method: AuthMethodSchema,
    outcome: z.enum(['success', 'failure', 'blocked', 'declined']),
    pinTriesLeft: z.number().int().optional(),
  }),
  z.object({ type: z.literal('certificate'), sessionId: z.string(), status: CertificateStatusSchema, chain: z.enum(['trusted', 'untrusted']) }),
  z.object({
    type: z.literal('eligibility'),
    sessionId: z.string(),
    outcome: EligibilityOutcomeSchema,
    source: z.enum(['face', 'certificate', 'insurance-numbers']),
  }),
  z.object({ type: z.literal('registration'), sessionId: z.string(), stage: z.enum(['offered', 'agreed', 'declined', 'registered', 'failed']) }),
  z.object({ type: z.literal('consent'), sessionId: z.string(), given: z.partialRecord(ConsentItemSchema, z.boolean()), reused: z.boolean(), at: isoDateTime }),
  z.object({
    type: z.literal('fallback'),
    sessionId: z.string().nullable(),
    reason: FallbackReasonSchema,
    decision: z.enum(['accepted', 'conditional', 'rejected']).optional(),
  }),
  z.object({ type: z.literal('staff-needed'), sessionId: z.string().nullable(), reason: StaffReasonSchema }),
  z.object({ type: z.literal('completed'), sessionId: z.string(), queueNumber: z.number().int().positive(), newPatient: z.boolean() }),
  /** 'take-over': staff took the session over from the staff console. */
  z.object({
    type: z.literal('reset'),
    sessionId: z.string().nullable(),
    reason: z.enum(['idle', 'patient', 'completed', 'card-removed', 'timeout', 'take-over']),
  }),
]);
export type FlowEvent = z.infer<typeof FlowEventSchema>;
