/**
 * kiosk-agent documents: which presented documents let a patient be seen on insurance on a date, as the
 * kiosk would decide it. For front-desk training and support; no card, reader or network involved.
 */
import { parseArgs } from 'node:util';
import {
  isIsoDate,
  CERTIFICATE_STATUSES,
  DOCUMENT_IDS,
  ELIGIBILITY_OUTCOMES,
  INSURER_KINDS,
  DOCUMENT_REASON_WORDING,
  DocumentIdSchema,
  fail,
  ok,
  PATIENT_GUIDANCE_WORDING,
  STAFF_CHECK_WORDING,
  type DocumentDecision,
  type DocumentId,
  type Result,
} from '@kiosk/protocol';
import { japanDate, systemClock } from '../clock.ts';
import { decideDocuments, parseDocumentsInput, PRINTED_EXPIRY_DOCUMENTS, type DocumentsInput } from '../rules/documents.ts';
import { timelineOf, type RulesInForce } from '../rules/table.ts';
import { loadRulesFile } from './rules-file.ts';
import { TIMELINE_WORDING } from '../rules/wording.ts';
import type { Subcommand } from './main.ts';

const HELP = `Usage: kiosk-agent documents [options] DOC...

Decides whether the documents DOC... let a patient be seen on insurance.

Documents (ids of the rules page):
  ${DOCUMENT_IDS.join(', ')}

Options:
  --date YYYY-MM-DD        Japan date of the visit (default: today in Japan)
  --expiry DOC=YYYY-MM-DD  expiry printed on ${PRINTED_EXPIRY_DOCUMENTS.join(', ')} (repeatable;
                           for medical_ticket the last day of the month printed on it)
  --reader-unavailable     the card reader does not work
  --online-unavailable     the online eligibility check does not answer
  --general-reader         the clinic has a general-purpose reader (needed for smartphone_myna)
  --cannot-operate-reader  the patient cannot operate the reader (居宅同意取得型 app at the window)
  --certificate-expiry YYYY-MM-DD
                           last valid day of the card's certificate: its state is computed with the
                           table's rule (warning, grace from the end of the expiry month by default)
  --certificate STATE      the reader's or the service's own verdict: ${CERTIFICATE_STATUSES.join(', ')};
                           wins over --certificate-expiry (default: valid)
  --insurer-kind KIND      ${INSURER_KINDS.join(', ')}, when known (the temporary handling started on
                           different days for each)
  --online-lookup ANSWER   what the desk's 一件照会 answered: ${ELIGIBILITY_OUTCOMES.join(', ')}
  --rules FILE             JSON override of the rules table, e.g. {"temporaryHandling":{"lastDay":"2026-09-30"}}
  --timeline               print the rules edition and the dates of the rules table, and exit
  --json                   print one JSON document instead of text
  -h, --help               show this help

Exit status: 0 when a decision was printed (whatever it is), 2 for bad options.

Example:
  kiosk-agent documents --date 2026-12-02 --reader-unavailable myna_card shikaku_joho_oshirase`;

const OPTIONS = {
  date: { type: 'string' },
  expiry: { type: 'string', multiple: true },
  'reader-unavailable': { type: 'boolean' },
  'online-unavailable': { type: 'boolean' },
  'general-reader': { type: 'boolean' },
  'cannot-operate-reader': { type: 'boolean' },
  'certificate-expiry': { type: 'string' },
  certificate: { type: 'string' },
  'insurer-kind': { type: 'string' },
  'online-lookup': { type: 'string' },
  rules: { type: 'string' },
  timeline: { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;

function parseCommandLine(argv: string[]): Result<Parsed> {
  try {
    return ok(parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    // parseArgs reports unknown options and missing values by throwing; they are the user's input.
    return fail('INPUT_INVALID', (error as Error).message);
  }
}

function documentIds(positionals: string[]): Result<DocumentId[]> {
  const unknown = positionals.find((raw) => !DocumentIdSchema.safeParse(raw).success);
  if (unknown !== undefined) return fail('INPUT_INVALID', `unknown document id "${unknown}"; known ids: ${DOCUMENT_IDS.join(', ')}`);
  return ok(positionals as DocumentId[]);
}

function printedExpiry(entries: string[] = []): Result<Record<string, string>> {
  const expiries: Record<string, string> = {};
  for (const entry of entries) {
    const [doc = '', date, ...rest] = entry.split('=');
    if (!(PRINTED_EXPIRY_DOCUMENTS as readonly string[]).includes(doc) || date === undefined || rest.length > 0) {
      return fail('INPUT_INVALID', `--expiry expects DOC=YYYY-MM-DD with DOC one of ${PRINTED_EXPIRY_DOCUMENTS.join(', ')}; got "${entry}"`);
    }
    expiries[doc] = date;
  }
  return ok(expiries);
}

/** An enumerated option's value, or a message naming the option and every allowed value. */
function oneOf(option: string, value: string | undefined, allowed: readonly string[]): Result<string | undefined> {
  if (value === undefined || allowed.includes(value)) return ok(value);
  return fail('INPUT_INVALID', `--${option} must be one of ${allowed.join(', ')}; got "${value}"`);
}

function calendarDate(option: string, value: string | undefined): Result<string | undefined> {
  if (value === undefined || isIsoDate(value)) return ok(value);
  return fail('INPUT_INVALID', `--${option} expects a calendar date YYYY-MM-DD; got "${value}"`);
}

function documentsInput({ values, positionals }: Parsed): Result<DocumentsInput> {
  const documents = documentIds(positionals);
  if (!documents.ok) return documents;
  const expiries = printedExpiry(values.expiry);
  if (!expiries.ok) return expiries;
  const checks = [
    calendarDate('date', values.date),
    calendarDate('certificate-expiry', values['certificate-expiry']),
    oneOf('certificate', values.certificate, CERTIFICATE_STATUSES),
    oneOf('insurer-kind', values['insurer-kind'], INSURER_KINDS),
    oneOf('online-lookup', values['online-lookup'], ELIGIBILITY_OUTCOMES),
  ];
  const refused = checks.find((check) => !check.ok);
  if (refused) return refused as Result<never>;
  return parseDocumentsInput({
    date: values.date ?? japanDate(systemClock.now()),
    documents: documents.value,
    printedExpiry: expiries.value,
    readerAvailable: !values['reader-unavailable'],
    onlineAvailable: !values['online-unavailable'],
    generalPurposeReader: values['general-reader'] ?? false,
    ...(values['cannot-operate-reader'] ? { patientCannotOperateReader: true } : {}),
    ...(values['certificate-expiry'] !== undefined ? { certificateExpiry: values['certificate-expiry'] } : {}),
    ...(values.certificate !== undefined ? { certificate: values.certificate } : {}),
    ...(values['insurer-kind'] !== undefined ? { insurerKind: values['insurer-kind'] } : {}),
    ...(values['online-lookup'] !== undefined ? { onlineLookup: values['online-lookup'] } : {}),
  });
}

function asJson(input: DocumentsInput, decision: DocumentDecision): string {
  return JSON.stringify(
    {
      date: input.date,
      documents: decision.documents,
      decision: decision.decision,
      reasons: decision.reasons,
      staffChecks: decision.staffChecks,
      patientGuidance: decision.patientGuidance,
      patient: PATIENT_GUIDANCE_WORDING[decision.patientGuidance],
      staff: decision.staffChecks.map((check) => ({ check, ...STAFF_CHECK_WORDING[check] })),
      why: decision.reasons.map((reason) => ({ reason, ...DOCUMENT_REASON_WORDING[reason] })),
    },
    null,
    2,
  );
}

function asText(input: DocumentsInput, decision: DocumentDecision): string {
  const conditions = [
    input.readerAvailable === false ? 'reader unavailable' : undefined,
    input.onlineAvailable === false ? 'online check unavailable' : undefined,
    input.patientCannotOperateReader ? 'patient cannot operate the reader' : undefined,
    input.certificate && input.certificate !== 'valid' ? `certificate ${input.certificate}` : undefined,
    input.certificateExpiry && !input.certificate ? `certificate last valid ${input.certificateExpiry}` : undefined,
    input.insurerKind ? `insurer ${input.insurerKind}` : undefined,
    input.onlineLookup ? `一件照会 ${input.onlineLookup}` : undefined,
  ].filter(Boolean);
  const patient = PATIENT_GUIDANCE_WORDING[decision.patientGuidance];
  const lines = [
    `${input.date}  ${decision.documents.join(' + ') || '(no documents)'}${conditions.length ? `  (${conditions.join(', ')})` : ''}`,
    `Decision: ${decision.decision}`,
    'Reasons:',
    ...decision.reasons.map((reason) => `  - ${reason}: ${DOCUMENT_REASON_WORDING[reason].en} / ${DOCUMENT_REASON_WORDING[reason].ja}`),
  ];
  if (decision.staffChecks.length > 0) {
    lines.push('Staff checks:');
    for (const check of decision.staffChecks) lines.push(`  - ${check}`, `      ${STAFF_CHECK_WORDING[check].ja}`, `      ${STAFF_CHECK_WORDING[check].en}`);
  }
  lines.push(`Patient (${decision.patientGuidance}):`, `  ja: ${patient.ja}`, `  en: ${patient.en}`);
  return lines.join('\n');
}

function timelineText({ table, override }: RulesInForce): string {
  const { edition } = table;
  const lines = [
    `Rules edition: checked ${edition.checkedOn}`,
    ...edition.sources.map((source) => `  - ${source.date ?? 'undated'}  ${source.title}`),
    override ? `Clinic override active (${override.file}): ${override.fields.join(', ')}` : 'No clinic override.',
    '',
    ...timelineOf(table).map(({ event, date }) => `${date}  ${TIMELINE_WORDING[event].en}\n            ${TIMELINE_WORDING[event].ja}`),
  ];
  return lines.join('\n');
}

function timelineJson({ table, override }: RulesInForce): string {
  const timeline = timelineOf(table).map(({ event, date }) => ({ date, event, ...TIMELINE_WORDING[event] }));
  return JSON.stringify({ edition: table.edition, ...(override ? { override } : {}), timeline }, null, 2);
}

function usageError(message: string): number {
  console.error(`kiosk-agent documents: ${message}\nRun "kiosk-agent documents --help" for usage.`);
  return 2;
}

async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv);
  if (!parsed.ok) return usageError(parsed.error.message);
  if (parsed.value.values.help) {
    console.log(HELP);
    return 0;
  }
  const rules = loadRulesFile(parsed.value.values.rules);
  if (!rules.ok) return usageError(rules.error.message);
  if (parsed.value.values.timeline) {
    console.log(parsed.value.values.json ? timelineJson(rules.value) : timelineText(rules.value));
    return 0;
  }
  const input = documentsInput(parsed.value);
  if (!input.ok) return usageError(input.error.message);
  const decision = decideDocuments(input.value, rules.value.table);
  console.log(parsed.value.values.json ? asJson(input.value, decision) : asText(input.value, decision));
  return 0;
}

const documents: Subcommand = { summary: 'Decide which documents a patient may use on a date (front-desk training)', run };
export default documents;
