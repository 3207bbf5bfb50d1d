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

/**
 * Header and body status → typed outcome. Any sign of failure (SegmentOfResult other than 正常終了,
 * an ErrorCode, ProcessingResultStatus エラー, a missing or unknown validity) is 'error', never 'valid'.
 */
export function outcomeOf(doc: Pick<OqsDocument, 'header' | 'body'>): EligibilityOutcome {
  const { header, body } = doc;
  if (header.SegmentOfResult?.trim() !== '1' || present(header.ErrorCode)) return 'error';
  if (present(body.ProcessingResultStatus) && body.ProcessingResultStatus.trim() !== '1') return 'error';
  return BY_VALIDITY[body.QualificationValidity?.trim() ?? ''] ?? 'error';
}
