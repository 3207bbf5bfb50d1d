import { DEFAULT_RULES, type RulesTable } from './table.ts';

/**
 * Which 後期高齢者 hold a 資格確認書 on a date (informational: the kiosk accepts both documents either way).
 * - before-transition: before the new documents existed;
 * - certificate-to-all: interim, everyone gets a 資格確認書 without applying;
 * - certificate-by-age: those aged `ageForCertificate`+ get one; younger ones get the お知らせ only if they
 *   actually use the マイナ保険証 (koukiDocumentSent), and anyone may apply for a 資格確認書.
 */
export type KoukiCertificatePolicy = 'before-transition' | 'certificate-to-all' | 'certificate-by-age';

export function koukiCertificatePolicy(date: string, table: RulesTable = DEFAULT_RULES): KoukiCertificatePolicy {
  if (date < table.newDocumentsFrom) return 'before-transition';
  if (date >= table.kouki.ageRuleFrom) return 'certificate-by-age';
  return 'certificate-to-all';
}

export interface KoukiInsured {
  /** Age on the day the age rule starts (2026-08-01). */
  age: number;
  /** マイナ保険証 uses in the last 12 months and in the last 3 months. */
  usesIn12Months: number;
  usesIn3Months: number;
}

/**
 * The document a 後期高齢者 is sent without applying under the policy of `date`: from 2026-08-01 the line
 * for those 84 and under is actual use of the マイナ保険証, not holding one.
 */
export function koukiDocumentSent(
  date: string,
  insured: KoukiInsured,
  table: RulesTable = DEFAULT_RULES,
): 'old_hokensho' | 'shikaku_kakuninsho' | 'shikaku_joho_oshirase' {
  const policy = koukiCertificatePolicy(date, table);
  if (policy === 'before-transition') return 'old_hokensho';
  if (policy === 'certificate-to-all' || insured.age >= table.kouki.ageForCertificate) return 'shikaku_kakuninsho';
  const { minUsesIn12Months, minUsesIn3Months } = table.kouki.actualUse;
  return insured.usesIn12Months >= minUsesIn12Months && insured.usesIn3Months >= minUsesIn3Months ? 'shikaku_joho_oshirase' : 'shikaku_kakuninsho';
}
