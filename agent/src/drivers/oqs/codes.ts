/** OQSCD code tables of the 外部インターフェイス with their Japanese labels (for staff screens and the CLI). */

export const OQSCD = {
  /** 同意フラグ */
  consentFlag: { '0': '同意しない', '1': '同意する' },
  /** 照会区分 (OQSCD002) */
  referenceClassification: { '1': 'マイナンバーカード', '2': '被保険者証情報' },
  /** 処理結果区分 (OQSCD003) */
  segmentOfResult: { '1': '正常終了', '2': '処理中', '9': '異常終了' },
  /** 処理結果状況 (OQSCD004) */
  processingResultStatus: { '1': '正常終了', '2': 'エラー' },
  /** 文字コード識別 (OQSCD005) */
  characterCode: { '0': 'UTF-8', '1': 'Shift_JIS' },
  /** 資格有効性 (OQSCD006) */
  qualificationValidity: { '1': '有効', '2': '無効', '3': '無効（新しい資格あり）', '4': '該当資格なし', '5': '複数該当' },
  /** 性別 (OQSCD007) */
  sex: { '1': '男', '2': '女', '3': '未設定' },
  /** 本人家族区分 (OQSCD009) */
  personalFamily: { '1': '本人', '2': '家族' },
  /** 被保険者証区分 (OQSCD010) */
  insuredCardClassification: {
    '01': '被保険者証（一般）',
    '02': '被保険者証（退職）',
    '03': '短期被保険者証（一般）',
    '04': '短期被保険者証（退職）',
    '05': '被保険者資格証明書',
    '06': '特例退職被保険者証',
    '07': '自衛官診療証',
  },
  /** 限度額適用認定証区分 (OQSCD011) */
  limitCertificateClassification: {
    '01': '限度額適用認定証',
    '02': '限度額適用・標準負担額減額認定証',
    '03': '標準負担額減額認定証',
  },
  /** 適用区分 (OQSCD012) */
  limitClassificationFlag: {
    A01: 'ア',
    A02: 'イ',
    A03: 'ウ',
    A04: 'エ',
    A05: 'オ',
    A06: 'オ（境）',
    B01: '現役並みⅢ',
    B02: '現役並みⅡ',
    B03: '現役並みⅠ',
    B04: '一般',
    B05: '低所得Ⅱ',
    B06: '低所得Ⅰ',
    B07: '低所得Ⅰ（老福）',
    B08: '低所得Ⅰ（境）',
    B09: '一般Ⅱ',
    B10: '一般Ⅰ',
  },
  /** 特定疾病区分 (OQSCD013) */
  specificDisease: {
    '1': '人工透析を必要とする慢性腎不全',
    '2': '先天性血液凝固因子障害（第VIII・IX因子）',
    '3': '血液凝固因子製剤の投与に起因するHIV感染症',
  },
  /** 処方箋発行形態 */
  prescriptionIssueSelect: { '1': '電子処方箋', '2': '紙の処方箋' },
  /** 未就学区分 */
  preschool: { '1': '未就学該当' },
  /** 資格喪失事由 */
  reasonOfLoss: { '01': '死亡', '02': '生活保護受給開始', '03': '医療保険等の資格取得', '99': 'その他' },
} as const satisfies Record<string, Record<string, string>>;

export type CodeTable = keyof typeof OQSCD;

/** Label of a code, or undefined for an absent or unknown code (the raw value stays available). */
export function codeLabel(table: CodeTable, code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  return (OQSCD[table] as Record<string, string>)[code.trim()];
}
