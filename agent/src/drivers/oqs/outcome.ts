import type { EligibilityOutcome } from '@kiosk/protocol';
import type { OqsDocument } from './fields.ts';

const BY_VALIDITY: Record<string, EligibilityOutcome> = {
  '1': 'valid',
  '2': 'invalid',
  '3': 'invalid-new-qualification',
  '4': 'not-found',
  '5': 'multiple',
};

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** The terminal processed the request: SegmentOfResult 正常終了, no ErrorCode, ProcessingResultStatus not エラー. */
function terminalProcessed(doc: Pick<OqsDocument, 'header' | 'body'>): boolean {
  const { header, body } = doc;
  if (header.SegmentOfResult?.trim() !== '1' || present(header.ErrorCode)) return false;
  return !present(body.ProcessingResultStatus) || body.ProcessingResultStatus.trim() === '1';
}

/**
 * Header and body status → typed outcome. Any sign of failure (SegmentOfResult other than 正常終了,
 * an ErrorCode, ProcessingResultStatus エラー, a missing or unknown validity) is 'error', never 'valid'.
 */
export function outcomeOf(doc: Pick<OqsDocument, 'header' | 'body'>): EligibilityOutcome {
  if (!terminalProcessed(doc)) return 'error';
  return BY_VALIDITY[doc.body.QualificationValidity?.trim() ?? ''] ?? 'error';
}

/** 照会番号登録 (OQSsiimm01res) accepted: processed, and 正常終了 said explicitly — a res file alone proves nothing. */
export function registrationAccepted(doc: Pick<OqsDocument, 'header' | 'body'>): boolean {
  return terminalProcessed(doc) && doc.body.ProcessingResultStatus?.trim() === '1';
}
