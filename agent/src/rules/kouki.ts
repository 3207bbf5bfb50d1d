import { DEFAULT_RULES, type RulesTable } from './table.ts';

/**
 * Which 後期高齢者 hold a 資格確認書 on a date (informational: the kiosk accepts both documents either way).
 * - before-transition: before the new documents existed;
 * - certificate-to-all: interim, everyone gets a 資格確認書 without applying;
 * - certificate-by-age: those aged `ageForCertificate`+ get one; younger ones by マイナ保険証 status or on application.
 */
export type KoukiCertificatePolicy = 'before-transition' | 'certificate-to-all' | 'certificate-by-age';

export function koukiCertificatePolicy(date: string, table: RulesTable = DEFAULT_RULES): KoukiCertificatePolicy {
  if (date < table.newDocumentsFrom) return 'before-transition';
  if (date >= table.kouki.ageRuleFrom) return 'certificate-by-age';
  return 'certificate-to-all';
}
