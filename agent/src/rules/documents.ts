import { z } from 'zod';
import {
  CertificateStatusSchema,
  DocumentIdSchema,
  EligibilityOutcomeSchema,
  IsoDateSchema,
  fail,
  ok,
  type DocumentDecision,
  type DocumentDecisionKind,
  type DocumentId,
  type DocumentReason,
  type EligibilityOutcome,
  type PatientGuidance,
  type Result,
  type StaffCheck,
} from '@kiosk/protocol';
import { certificateRule } from './certificate.ts';
import { DEFAULT_RULES, type RulesTable } from './table.ts';

/** Documents that carry a printed expiry the rules depend on. */
export const PRINTED_EXPIRY_DOCUMENTS = ['shikaku_kakuninsho', 'old_hokensho'] as const;
export type PrintedExpiryDocument = (typeof PRINTED_EXPIRY_DOCUMENTS)[number];

/** 国保 (6-digit 保険者番号) or any other insurer; the temporary handling started earlier for 国保. */
export const INSURER_KINDS = ['kokuho', 'other'] as const;
export type InsurerKind = (typeof INSURER_KINDS)[number];

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
  /** State of the card's 利用者証明用電子証明書 when known (certificate.ts). Default valid. */
  certificate: CertificateStatusSchema.optional(),
  /** Kind of insurer, when known (insurer-number.ts insurerKindOf). */
  insurerKind: z.enum(INSURER_KINDS).optional(),
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

/**
 * 2025-06-27 → 2026-03-31: an expired old card or the お知らせ alone, accepted once staff confirm
 * eligibility by 一件照会. 国保 first, every insurer from the 2025-11-12 notice; with the insurer kind
 * unknown in between, staff confirm it is 国保.
 */
function temporaryHandling(f: Facts, granted: DocumentReason, refusal: DocumentReason[], guidance: PatientGuidance): Outcome {
  const window = f.table.temporaryHandling;
  if (f.date > window.lastDay) return rejected(guidance, [...refusal, 'temporary-handling-ended']);
  const kokuhoOnly = f.date < window.allInsurersFrom;
  if (f.date < window.kokuhoFrom || (kokuhoOnly && f.insurerKind === 'other')) return rejected(guidance, refusal);
  if (!f.onlineAvailable) return rejected(guidance, [...refusal, 'temporary-handling-needs-online']);
  const confirmKokuho = kokuhoOnly && f.insurerKind === undefined;
  return conditional('desk-confirms-insurance', confirmKokuho ? ['online-single-lookup', 'confirm-kokuho-insurer'] : ['online-single-lookup'], [
    ...refusal,
    granted,
    ...(kokuhoOnly ? (['temporary-handling-kokuho-only'] as const) : []),
  ]);
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

/** Reader broken, online up: staff read the card with the 居宅同意取得型 app at the window. */
const cardViaMobileApp: Path = (f) => {
  if (!f.has('myna_card') || !f.has('mobile_consent_app') || f.cardPathAvailable) return undefined;
  if (f.date < f.table.mobileConsentAppFrom) return rejected('show-notice-or-portal', ['mobile-consent-app-before-start']);
  if (!f.onlineAvailable) return rejected('show-notice-or-portal', ['mobile-consent-app-needs-online']);
  if (!f.certificate.eligibilityCheck) return rejected(f.certificate.patientGuidance, certificateReasons(f));
  return conditional('staff-reads-card-at-desk', ['use-mobile-consent-app'], ['card-via-mobile-consent-app', ...certificateReasons(f)]);
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
  oldCard,
  cardViaMobileApp,
  cardWithNotice,
  noticeWithoutCard,
  portalWithoutCard,
  mobileAppWithoutCard,
  selfDeclaration,
];

const NOTHING_USABLE_CHECKS: StaffCheck[] = ['offer-self-declaration', 'staff-decides-self-pay'];

/** 一件照会 answers that the insurance as entered cannot be billed ('error': no answer, the documents decide). */
const LOOKUP_REFUSALS: ReadonlySet<EligibilityOutcome> = new Set(['invalid', 'invalid-new-qualification', 'not-found', 'multiple']);

function best(outcomes: Outcome[], kind: DocumentDecisionKind): Outcome | undefined {
  return outcomes.find((o) => o.decision === kind);
}

/**
 * Which documents let the patient be seen on insurance on `input.date`, under `table`. Pure: the date
 * is an input. Nothing usable → rejected, with the desk to offer the 被保険者資格申立書 or self-pay; so is
 * an entry whose online 一件照会 (`onlineLookup`) says the insurance is not valid, whatever the documents.
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
    certificate: certificateRule(input.certificate ?? 'valid'),
    insurerKind: input.insurerKind,
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
  // The insurer's own answer outranks any document: insurance it says is not valid is not billable as entered.
  if (!input.onlineLookup || !LOOKUP_REFUSALS.has(input.onlineLookup)) return decision;
  return {
    decision: 'rejected',
    documents,
    reasons: [...decision.reasons, 'online-lookup-not-valid'],
    staffChecks: [...NOTHING_USABLE_CHECKS],
    patientGuidance: 'desk-confirms-insurance',
  };
}
