import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { fail, ok, type EligibilityOutcome, type Result } from '@kiosk/protocol';
import { decodeOqsBytes, type OqsEncoding, type OqsEncodingSetting } from './encoding.ts';
import {
  BODY_FIELDS,
  ELDERLY_FIELDS,
  HEADER_FIELDS,
  LIMIT_FIELDS,
  MEDICAL_TICKET_FIELDS,
  REGISTRATION_INFO_FIELDS,
  RESULT_FIELDS,
  SEARCH_INFO_FIELDS,
  SPECIFIC_DISEASE_FIELDS,
  type OqsBody,
  type OqsDocument,
  type OqsResult,
  type Strings,
} from './fields.ts';
import { outcomeOf } from './outcome.ts';

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export interface ParseOptions {
  /** Larger files are refused (OQS_FILE_TOO_LARGE) before decoding. */
  maxBytes?: number;
  encoding?: OqsEncodingSetting;
}

/** A parsed 資格確認結果 file: the values exactly as written, plus the typed outcome. */
export interface ParsedOqsFile extends OqsDocument {
  outcome: EligibilityOutcome;
  encoding: OqsEncoding;
}

const REPEATED = new Set(['ResultOfQualificationConfirmation', 'SpecificDiseasesCertificateInfo', 'MedicalTicketInfo']);

// Every value stays a string exactly as written: no number parsing, no trimming (6-digit insurer
// numbers are space-padded), no attribute values.
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => REPEATED.has(name),
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick<K extends string>(fields: readonly K[], node: unknown): Strings<K> {
  const out: Strings<K> = {};
  if (!isNode(node)) return out;
  for (const field of fields) {
    const value = node[field];
    if (typeof value === 'string') out[field] = value;
  }
  return out;
}

function resultOf(node: unknown): OqsResult {
  const result: OqsResult = pick(RESULT_FIELDS, node);
  if (!isNode(node)) return result;
  if (isNode(node.ElderlyRecipientCertificateInfo)) result.ElderlyRecipientCertificateInfo = pick(ELDERLY_FIELDS, node.ElderlyRecipientCertificateInfo);
  if (isNode(node.LimitApplicationCertificateRelatedInfo))
    result.LimitApplicationCertificateRelatedInfo = pick(LIMIT_FIELDS, node.LimitApplicationCertificateRelatedInfo);
  const diseases = itemsOf(node.SpecificDiseasesCertificateList, 'SpecificDiseasesCertificateInfo', SPECIFIC_DISEASE_FIELDS);
  if (diseases) result.SpecificDiseasesCertificateList = { SpecificDiseasesCertificateInfo: diseases };
  const tickets = itemsOf(node.PublicExpenseResultList, 'MedicalTicketInfo', MEDICAL_TICKET_FIELDS);
  if (tickets) result.PublicExpenseResultList = { MedicalTicketInfo: tickets };
  return result;
}

/** The repeated items of a list element (e.g. SpecificDiseasesCertificateList/…Info); undefined without the list. */
function itemsOf<K extends string>(list: unknown, item: string, fields: readonly K[]): Strings<K>[] | undefined {
  if (!isNode(list) || !Array.isArray(list[item])) return undefined;
  return list[item].map((i: unknown) => pick(fields, i));
}

/** XML text → document keyed by element names. The root must be XmlMsg with a MessageHeader. */
export function documentOf(text: string): Result<OqsDocument> {
  // The terminal never writes a DTD; refusing one also rules out entity-expansion attacks.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return fail('OQS_FILE_MALFORMED', 'The file contains a DTD');
  const valid = XMLValidator.validate(text);
  if (valid !== true) return fail('OQS_FILE_MALFORMED', 'The file is not well-formed XML', { line: valid.err.line, column: valid.err.col });
  let tree: unknown;
  try {
    tree = parser.parse(text);
  } catch {
    return fail('OQS_FILE_MALFORMED', 'The file is not well-formed XML');
  }
  const root = isNode(tree) ? tree.XmlMsg : undefined;
  if (!isNode(root) || !isNode(root.MessageHeader)) return fail('OQS_FILE_MALFORMED', 'The file has no XmlMsg/MessageHeader');
  const bodyNode = isNode(root.MessageBody) ? root.MessageBody : {};
  const body: OqsBody = pick(BODY_FIELDS, bodyNode);
  if (isNode(bodyNode.QualificationConfirmSearchInfo)) body.QualificationConfirmSearchInfo = pick(SEARCH_INFO_FIELDS, bodyNode.QualificationConfirmSearchInfo);
  if (isNode(bodyNode.ReferenceNumberRegistrationInfo))
    body.ReferenceNumberRegistrationInfo = pick(REGISTRATION_INFO_FIELDS, bodyNode.ReferenceNumberRegistrationInfo);
  const list = isNode(bodyNode.ResultList) ? bodyNode.ResultList.ResultOfQualificationConfirmation : undefined;
  return ok({
    header: pick(HEADER_FIELDS, root.MessageHeader),
    body,
    results: Array.isArray(list) ? list.map(resultOf) : [],
  });
}

/**
 * Bytes of a 資格確認結果 file → parsed file, or a typed error (OQS_FILE_TOO_LARGE, OQS_FILE_ENCODING,
 * OQS_FILE_MALFORMED) whose details never contain file content.
 */
export function parseOqsFile(bytes: Uint8Array, options: ParseOptions = {}): Result<ParsedOqsFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) return fail('OQS_FILE_TOO_LARGE', undefined, { bytes: bytes.length, maxBytes });
  const decoded = decodeOqsBytes(bytes, options.encoding);
  if (!decoded.ok) return decoded;
  const doc = documentOf(decoded.value.text);
  if (!doc.ok) return doc;
  return ok({ ...doc.value, outcome: outcomeOf(doc.value), encoding: decoded.value.encoding });
}
