import { z } from 'zod';
import {
  CertificateStatusSchema,
  DocumentIdSchema,
  EligibilityOutcomeSchema,
  IsoDateSchema,
  fail,
  InsurerKindSchema,
  ok,
  type DocumentDecision,
  type DocumentDecisionKind,
  type DocumentId,
  type CertificateStatus,
  type DocumentReason,
  type EligibilityOutcome,
  type InsurerKind,
  type PatientGuidance,
  type Result,
  type StaffCheck,
} from '@kiosk/protocol';
import { certificateRule, certificateStatusOn } from './certificate.ts';
import { startOfMonth } from './dates.ts';
import { DEFAULT_RULES, type RulesTable } from './table.ts';

/** Documents that carry a printed expiry the rules depend on (a 医療券: the last day of its printed month). */
export const PRINTED_EXPIRY_DOCUMENTS = ['shikaku_kakuninsho', 'old_hokensho', 'medical_ticket'] as const;
export type PrintedExpiryDocument = (typeof PRINTED_EXPIRY_DOCUMENTS)[number];

export const DocumentsInputSchema = z.strictObject({
  /** Japan date of the visit, YYYY-MM-DD (clock.ts japanDate). */
  date: IsoDateSchema,
  documents: z.array(DocumentIdSchema),
  /** Expiry printed on the 資格確認書 / old 健康保険証; absent → staff check the printed date. */
  printedExpiry: z.partialRecord(z.enum(PRINTED_EXPIRY_DOCUMENTS), IsoDateSchema).optional(),
  /** The face-authentication (and general-purpose) reader works. Default true. */
  readerAvailable: z.boolean().optional(),
  /** The online eligibility service answers. Default true. */
  onlineAvailable: z.boolean().optional(),
  /** The clinic has a general-purpose (汎用) reader, needed for スマホ保険証. Default false. */
  generalPurposeReader: z.boolean().optional(),
  /**
   * The reader's or the online service's own verdict on the card's 利用者証明用電子証明書 (reader error
   * 006 → expired; a card the service answered for is not expired). Wins over `certificateExpiry`.
   */
  certificate: CertificateStatusSchema.optional(),
  /** The certificate's last valid day (notAfter as a Japan date): its state is computed with the table's rule. */
  certificateExpiry: IsoDateSchema.optional(),
  /** Kind of insurer, when known (insurer-number.ts insurerKindOf). */
  insurerKind: InsurerKindSchema.optional(),
  /** The patient cannot operate the reader: staff may read the card with the 居宅同意取得型 app. Default false. */
  patientCannotOperateReader: z.boolean().optional(),
  /** What the online 一件照会 answered for the insurance the documents show, when staff ran one. */
  onlineLookup: EligibilityOutcomeSchema.optional(),
});
export type DocumentsInput = z.infer<typeof DocumentsInputSchema>;

/** Validates untrusted input (CLI, wire) into a DocumentsInput; the message names the field, never a value. */
export function parseDocumentsInput(raw: unknown): Result<DocumentsInput> {
  const parsed = DocumentsInputSchema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return fail('INPUT_INVALID', `documents input: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim());
}

interface Facts {
  date: string;
  has(id: DocumentId): boolean;
  printedExpiry: Partial<Record<PrintedExpiryDocument, string>>;
  /** Reader and online service both work: the normal card path can run. */
  cardPathAvailable: boolean;
  onlineAvailable: boolean;
  generalPurposeReader: boolean;
  certificate: ReturnType<typeof certificateRule>;
  insurerKind: InsurerKind | undefined;
  patientCannotOperateReader: boolean;
  table: RulesTable;
}

type Outcome = Omit<DocumentDecision, 'documents'>;
/** One way the presented documents may let the patient be seen; undefined when it does not apply. */
type Path = (facts: Facts) => Outcome | undefined;

const accepted = (patientGuidance: PatientGuidance, reasons: DocumentReason[]): Outcome => ({
  decision: 'accepted',
  reasons,
  staffChecks: [],
  patientGuidance,
});
const conditional = (patientGuidance: PatientGuidance, staffChecks: StaffCheck[], reasons: DocumentReason[]): Outcome => ({
  decision: 'conditional',
  reasons,
  staffChecks,
  patientGuidance,
});
const rejected = (patientGuidance: PatientGuidance, reasons: DocumentReason[]): Outcome => ({
  decision: 'rejected',
  reasons,
  staffChecks: [],
  patientGuidance,
});

const certificateReasons = (f: Facts): DocumentReason[] => (f.certificate.reason ? [f.certificate.reason] : []);

const cardViaReader: Path = (f) => {
  if (!f.has('myna_card')) return undefined;
  if (!f.cardPathAvailable) return rejected('show-notice-or-portal', ['reader-or-online-unavailable']);
  if (!f.certificate.eligibilityCheck) return rejected(f.certificate.patientGuidance, certificateReasons(f));
  if (f.patientCannotOperateReader) return rejected('staff-reads-card-at-desk', ['patient-cannot-operate-reader']);
  return accepted(f.certificate.patientGuidance, ['myna-card-via-reader', ...certificateReasons(f)]);
};

const smartphone: Path = (f) => {
  if (!f.has('smartphone_myna')) return undefined;
  const refuse = (reason: DocumentReason) => rejected('smartphone-not-accepted', [reason]);
  if (f.date < f.table.smartphoneFrom) return refuse('smartphone-before-start');
  if (!f.generalPurposeReader) return refuse('smartphone-needs-general-purpose-reader');
  if (!f.cardPathAvailable) return refuse('reader-or-online-unavailable');
  if (!f.certificate.smartphoneAllowed) return refuse('smartphone-needs-valid-certificate');
  return accepted('smartphone-accepted', ['smartphone-via-general-reader', ...certificateReasons(f)]);
};

const kakuninsho: Path = (f) => {
  if (!f.has('shikaku_kakuninsho')) return undefined;
  if (f.date < f.table.newDocumentsFrom) return rejected('self-declaration-at-desk', ['document-before-issuance-start']);
  const expiry = f.printedExpiry.shikaku_kakuninsho;
  if (expiry === undefined) return conditional('kakuninsho-accepted', ['check-printed-expiry'], ['kakuninsho-expiry-unknown']);
  if (f.date <= expiry) return accepted('kakuninsho-accepted', ['kakuninsho-within-printed-expiry']);
  return rejected('kakuninsho-expired', ['kakuninsho-expired']);
};

/** 医療券: for the month printed on it (`printedExpiry` is its last day); a 公費 case is never decided by the kiosk alone. */
const medicalTicket: Path = (f) => {
  if (!f.has('medical_ticket')) return undefined;
  const expiry = f.printedExpiry.medical_ticket;
  if (expiry === undefined) return conditional('medical-ticket-at-desk', ['check-printed-expiry', 'confirm-medical-ticket'], ['medical-ticket-expiry-unknown']);
  if (f.date >= startOfMonth(expiry) && f.date <= expiry)
    return conditional('medical-ticket-at-desk', ['confirm-medical-ticket'], ['medical-ticket-within-printed-month']);
  return rejected('medical-ticket-not-valid', ['medical-ticket-outside-printed-month']);
};

/** Who the temporary handling covers on a date: 国保 first, then 後期高齢者 too, then every insurer; none outside the window. */
type Coverage = { kinds: ReadonlySet<InsurerKind>; partial?: { check: StaffCheck; reason: DocumentReason } };
function temporaryCoverage(f: Facts): Coverage | undefined {
  const window = f.table.temporaryHandling;
  if (f.date < window.kokuhoFrom || f.date > window.lastDay) return undefined;
  if (f.date < window.koukiFrom) return { kinds: new Set(['kokuho']), partial: { check: 'confirm-kokuho-insurer', reason: 'temporary-handling-kokuho-only' } };
  if (f.date < window.allInsurersFrom) {
    return { kinds: new Set(['kokuho', 'kouki']), partial: { check: 'confirm-kokuho-or-kouki-insurer', reason: 'temporary-handling-kokuho-kouki-only' } };
  }
  return { kinds: new Set(['kokuho', 'kouki', 'other']) };
}

/**
 * 2025-06-27 → 2026-07-31: an expired old card or the お知らせ alone, accepted once staff confirm
 * eligibility by 一件照会. 国保 from 2025-06-27, 後期高齢者 from 2025-08-04, every insurer from the
 * 2025-11-12 notice; with the insurer kind unknown while only some are covered, staff confirm the kind.
 */
function temporaryHandling(f: Facts, granted: DocumentReason, refusal: DocumentReason[], guidance: PatientGuidance): Outcome {
  if (f.date > f.table.temporaryHandling.lastDay) return rejected(guidance, [...refusal, 'temporary-handling-ended']);
  const coverage = temporaryCoverage(f);
  if (!coverage || (f.insurerKind !== undefined && !coverage.kinds.has(f.insurerKind))) return rejected(guidance, refusal);
  if (!f.onlineAvailable) return rejected(guidance, [...refusal, 'temporary-handling-needs-online']);
  const { partial } = coverage;
  const confirmKind = partial && f.insurerKind === undefined ? [partial.check] : [];
  return conditional('desk-confirms-insurance', ['online-single-lookup', ...confirmKind], [...refusal, granted, ...(partial ? [partial.reason] : [])]);
}

const oldCard: Path = (f) => {
  if (!f.has('old_hokensho')) return undefined;
  if (f.date > f.table.oldCardLastDay) {
    return temporaryHandling(f, 'temporary-handling-expired-old-card', ['old-card-after-last-valid-day'], 'old-card-not-accepted');
  }
  const expiry = f.printedExpiry.old_hokensho;
  if (expiry === undefined) return conditional('old-card-accepted', ['check-printed-expiry'], ['old-card-expiry-unknown']);
  if (f.date <= expiry) return accepted('old-card-accepted', ['old-card-within-printed-expiry']);
  return temporaryHandling(f, 'temporary-handling-expired-old-card', ['old-card-expired'], 'old-card-not-accepted');
};

/**
 * Reader broken, or a patient who cannot operate it, with the online check up: staff read the card with
 * the 居宅同意取得型 app at the window.
 */
const cardViaMobileApp: Path = (f) => {
  if (!f.has('myna_card') || !f.has('mobile_consent_app') || (f.cardPathAvailable && !f.patientCannotOperateReader)) return undefined;
  if (f.date < f.table.mobileConsentAppFrom) return rejected('show-notice-or-portal', ['mobile-consent-app-before-start']);
  if (!f.onlineAvailable) return rejected('show-notice-or-portal', ['mobile-consent-app-needs-online']);
  if (!f.certificate.eligibilityCheck) return rejected(f.certificate.patientGuidance, certificateReasons(f));
  const why: DocumentReason[] = f.patientCannotOperateReader ? ['patient-cannot-operate-reader'] : [];
  return conditional('staff-reads-card-at-desk', ['use-mobile-consent-app'], ['card-via-mobile-consent-app', ...why, ...certificateReasons(f)]);
};

/** Reader or online check down: the card together with the お知らせ or the マイナポータル screen. */
const cardWithNotice: Path = (f) => {
  const notice = f.has('shikaku_joho_oshirase') && f.date >= f.table.newDocumentsFrom;
  const portal = f.has('mynaportal_screen');
  if (!f.has('myna_card') || !(notice || portal) || f.cardPathAvailable) return undefined;
  if (!f.certificate.eligibilityCheck) return rejected(f.certificate.patientGuidance, certificateReasons(f));
  const reasons: DocumentReason[] = [];
  if (notice) reasons.push('card-with-notice-fallback');
  if (portal) reasons.push('card-with-portal-screen-fallback');
  return conditional('card-with-notice-accepted', ['enter-insurance-from-notice', 'visual-photo-check'], reasons);
};

const noticeWithoutCard: Path = (f) => {
  if (!f.has('shikaku_joho_oshirase')) return undefined;
  if (f.date < f.table.newDocumentsFrom) return rejected('self-declaration-at-desk', ['document-before-issuance-start']);
  return temporaryHandling(f, 'temporary-handling-notice-alone', ['notice-alone-not-enough'], 'notice-alone-not-enough');
};

/** A スマホ保険証 that cannot be read: the マイナポータル 資格情報 screen on the same phone, staff confirm. */
const smartphonePortalScreen: Path = (f) => {
  if (!f.has('smartphone_myna') || !f.has('mynaportal_screen') || f.date < f.table.smartphoneFrom) return undefined;
  if (!f.certificate.eligibilityCheck) return rejected(f.certificate.patientGuidance, certificateReasons(f));
  return conditional('smartphone-portal-screen-at-desk', ['enter-insurance-from-notice'], ['smartphone-unreadable-portal-screen']);
};

const portalWithoutCard: Path = (f) =>
  f.has('mynaportal_screen') && !f.has('myna_card') ? rejected('notice-alone-not-enough', ['portal-screen-alone-not-enough']) : undefined;

const mobileAppWithoutCard: Path = (f) =>
  f.has('mobile_consent_app') && !f.has('myna_card') ? rejected('self-declaration-at-desk', ['mobile-consent-app-needs-card']) : undefined;

/** Last resort; the desk decides between the declaration (normal copay) and self-pay, never the kiosk. */
const selfDeclaration: Path = (f) =>
  f.has('self_declaration')
    ? conditional('self-declaration-at-desk', ['offer-self-declaration', 'staff-decides-self-pay'], ['self-declaration-last-resort'])
    : undefined;

/** In order of preference: among equally good outcomes the earlier path wins. */
const PATHS: Path[] = [
  cardViaReader,
  smartphone,
  kakuninsho,
  medicalTicket,
  oldCard,
  cardViaMobileApp,
  cardWithNotice,
  smartphonePortalScreen,
  noticeWithoutCard,
  portalWithoutCard,
  mobileAppWithoutCard,
  selfDeclaration,
];

const NOTHING_USABLE_CHECKS: StaffCheck[] = ['offer-self-declaration', 'staff-decides-self-pay'];

/** 一件照会 answers that the insurance as entered cannot be billed ('error': no answer, the documents decide). */
const LOOKUP_REFUSALS: ReadonlySet<EligibilityOutcome> = new Set(['invalid', 'invalid-new-qualification', 'not-found', 'multiple']);
/** Answers right after a change of insurer, before the new insurer registered the patient: the お知らせ is the proof. */
const NEW_INSURER_PENDING: ReadonlySet<EligibilityOutcome> = new Set(['invalid-new-qualification', 'not-found']);

/** The マイナ保険証 with the new insurer's お知らせ, when the online answer says the new data is not there yet. */
function newInsurerPending(f: Facts): Outcome | undefined {
  if (!f.has('myna_card') || !f.has('shikaku_joho_oshirase') || f.date < f.table.newDocumentsFrom || !f.certificate.eligibilityCheck) return undefined;
  return conditional('card-with-notice-accepted', ['enter-insurance-from-notice', 'visual-photo-check'], ['card-with-notice-new-insurer-pending']);
}

/** The reader's or the service's verdict wins; otherwise the table's date arithmetic on the expiry; otherwise valid. */
function certificateStatus(input: DocumentsInput, table: RulesTable): CertificateStatus {
  if (input.certificate) return input.certificate;
  return input.certificateExpiry === undefined ? 'valid' : certificateStatusOn(input.certificateExpiry, input.date, table);
}

function best(outcomes: Outcome[], kind: DocumentDecisionKind): Outcome | undefined {
  return outcomes.find((o) => o.decision === kind);
}

/**
 * Which documents let the patient be seen on insurance on `input.date`, under `table`. Pure: the date
 * is an input. Nothing usable → rejected, with the desk to weigh the 被保険者資格申立書 or self-pay; so is
 * an entry whose online 一件照会 (`onlineLookup`) says the insurance is not valid, whatever the documents,
 * except the マイナ保険証 with the お知らせ right after a change of insurer ("not found", "newer qualification").
 */
export function decideDocuments(input: DocumentsInput, table: RulesTable = DEFAULT_RULES): DocumentDecision {
  const documents = [...new Set(input.documents)];
  const present = new Set(documents);
  const readerAvailable = input.readerAvailable ?? true;
  const onlineAvailable = input.onlineAvailable ?? true;
  const facts: Facts = {
    date: input.date,
    has: (id) => present.has(id),
    printedExpiry: input.printedExpiry ?? {},
    cardPathAvailable: readerAvailable && onlineAvailable,
    onlineAvailable,
    generalPurposeReader: input.generalPurposeReader ?? false,
    certificate: certificateRule(certificateStatus(input, table)),
    insurerKind: input.insurerKind,
    patientCannotOperateReader: input.patientCannotOperateReader ?? false,
    table,
  };
  const outcomes = PATHS.map((path) => path(facts)).filter((o): o is Outcome => o !== undefined);
  const chosen = best(outcomes, 'accepted') ?? best(outcomes, 'conditional');
  const decision: DocumentDecision = chosen
    ? { ...chosen, documents }
    : {
        decision: 'rejected',
        documents,
        reasons: outcomes.length === 0 ? ['no-documents'] : [...new Set(outcomes.flatMap((o) => o.reasons))],
        staffChecks: [...NOTHING_USABLE_CHECKS],
        patientGuidance: outcomes[0]?.patientGuidance ?? 'nothing-presented',
      };
  // The insurer's own answer outranks any document: insurance it says is not valid is not billable as entered,
  // unless it only says the new insurer has not registered the patient yet and the お知らせ proves the change.
  if (!input.onlineLookup || !LOOKUP_REFUSALS.has(input.onlineLookup)) return decision;
  const pending = NEW_INSURER_PENDING.has(input.onlineLookup) ? newInsurerPending(facts) : undefined;
  if (pending) return { ...pending, documents };
  return {
    decision: 'rejected',
    documents,
    reasons: [...decision.reasons, 'online-lookup-not-valid'],
    staffChecks: [...NOTHING_USABLE_CHECKS],
    patientGuidance: 'desk-confirms-insurance',
  };
}
