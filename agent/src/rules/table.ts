import { z } from 'zod';
import { fail, IsoDateSchema, ok, type Result } from '@kiosk/protocol';

/**
 * Every date and period of the document rules (shared/domain/document-rules.md), in one object so a
 * change of law is a change of data. Dates are Japan days, inclusive: `from` is the first day a rule
 * holds, `lastDay` the last.
 */
export const RulesTableSchema = z
  .strictObject({
    /**
     * Which edition of the rules this is: the day the table was last checked against its sources, and
     * the sources (title and, when the page carries one, date). These rules change by notice weeks
     * before a date, so the console warns when the edition grows old.
     */
    edition: z.strictObject({
      checkedOn: IsoDateSchema,
      sources: z.array(z.strictObject({ title: z.string().min(1).max(200), date: IsoDateSchema.optional() })).min(1),
    }),
    /** No new 健康保険証 from this day; 資格確認書 and 資格情報のお知らせ exist only from this day. */
    newDocumentsFrom: IsoDateSchema,
    /** Staff may read the card with the 居宅同意取得型 mobile app at the window (source says "2025-04"). */
    mobileConsentAppFrom: IsoDateSchema,
    /** スマホ保険証 accepted where the clinic has a general-purpose reader. */
    smartphoneFrom: IsoDateSchema,
    /** Last day any old 健康保険証 can be valid, whatever its printed expiry. */
    oldCardLastDay: IsoDateSchema,
    /**
     * Temporary handling: an expired old card or the お知らせ alone accepted after an online 一件照会.
     * 国保 from `kokuhoFrom` (事務連絡 2025-06-27), 後期高齢者 too from `koukiFrom` (notice 2025-08-04), every
     * insurer from `allInsurersFrom` (2025-11-12 notice), until `lastDay` (extended, announced 2026-03-19).
     */
    temporaryHandling: z.strictObject({ kokuhoFrom: IsoDateSchema, koukiFrom: IsoDateSchema, allInsurersFrom: IsoDateSchema, lastDay: IsoDateSchema }),
    /**
     * 後期高齢者: 資格確認書 to everyone without application until the day before `ageRuleFrom` (the interim
     * ends 2026-07-31); from `ageRuleFrom`, to everyone aged `ageForCertificate`+, and to younger ones
     * unless they actually use the マイナ保険証 (`actualUse`: at least that many uses in the last 12 months
     * and in the last 3). Informational: the kiosk accepts both documents either way.
     */
    kouki: z.strictObject({
      ageRuleFrom: IsoDateSchema,
      ageForCertificate: z.number().int().positive(),
      actualUse: z.strictObject({ minUsesIn12Months: z.number().int().nonnegative(), minUsesIn3Months: z.number().int().nonnegative() }),
    }),
    /** 利用者証明用電子証明書: warning before expiry, and the eligibility-only grace after it. */
    certificate: z.strictObject({
      warnMonthsBefore: z.number().int().nonnegative(),
      graceMonths: z.number().int().nonnegative(),
      /** Sources disagree: count the grace from the expiry date itself, or from the end of the expiry month. */
      graceCountsFrom: z.enum(['expiry-date', 'end-of-expiry-month']),
    }),
    /**
     * Dates the rules page records but no rule decides on (printed expiries decide instead); kept here so
     * the table is the one place for every date, and printed by `kiosk-agent documents --timeline`.
     */
    reference: z.strictObject({
      /** Most 国保 and all 後期 old cards carry this printed expiry; also the first, later extended, end of the 後期 interim. */
      kokuhoKoukiOldCardsExpire: IsoDateSchema,
      /** Seed example of one municipality's 国保 old cards (printed 令和7年9月30日). */
      seedMunicipalOldCardsExpire: IsoDateSchema,
      /** The temporary handling's first announced last day, before its extension to `temporaryHandling.lastDay`. */
      temporaryHandlingFirstLastDay: IsoDateSchema,
    }),
  })
  .superRefine((t, ctx) => {
    const ordered: Array<[string, string, string]> = [
      ['temporaryHandling.kokuhoFrom', t.temporaryHandling.kokuhoFrom, t.temporaryHandling.koukiFrom],
      ['temporaryHandling.koukiFrom', t.temporaryHandling.koukiFrom, t.temporaryHandling.allInsurersFrom],
      ['temporaryHandling.allInsurersFrom', t.temporaryHandling.allInsurersFrom, t.temporaryHandling.lastDay],
      ['newDocumentsFrom', t.newDocumentsFrom, t.kouki.ageRuleFrom],
    ];
    for (const [path, earlier, later] of ordered) {
      if (earlier > later) ctx.addIssue({ code: 'custom', path: path.split('.'), message: 'date out of order' });
    }
  });

export type RulesTable = z.infer<typeof RulesTableSchema>;

/** Frozen all the way down: the defaults are shared by every caller, so nobody may edit them in place. */
function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) deepFreeze(child);
  return Object.freeze(value);
}

export const DEFAULT_RULES: RulesTable = deepFreeze<RulesTable>({
  edition: {
    checkedOn: '2026-12-02',
    sources: [
      { title: '被保険者資格申立書による受診の取扱い（保発0710第1号）', date: '2023-07-10' },
      { title: 'MHLW 医療保険部会資料: 居宅同意取得型の窓口利用（リーダー故障・患者が操作できない等）', date: '2025-04-03' },
      { title: 'MHLW 事務連絡: 国保の期限切れ保険証・資格情報のお知らせのみの暫定的な取扱い', date: '2025-06-27' },
      { title: '協会けんぽ: 電子証明書の有効期限満了日が属する月の末日から3か月間', date: '2025-07-16' },
      { title: '後期高齢者への暫定的な取扱いの適用（保団連ニュース 2025-08-05）', date: '2025-08-04' },
      { title: 'MHLW 事務連絡: 加入している保険者によらず暫定的な取扱い', date: '2025-11-12' },
      { title: '三種町: 後期高齢者の資格確認書（マイナ保険証の利用実績による交付）', date: '2026-03-06' },
      { title: '暫定措置を7月末まで延長（KAB ニュース、新潟日報）', date: '2026-03-19' },
      { title: '大阪食品国保: 保険者変更直後の資格情報のお知らせ' },
      { title: '岐阜新聞: スマホ保険証が読み取れないときのマイナポータル資格情報画面' },
    ],
  },
  newDocumentsFrom: '2024-12-02',
  mobileConsentAppFrom: '2025-04-01',
  smartphoneFrom: '2025-09-19',
  oldCardLastDay: '2025-12-01',
  temporaryHandling: { kokuhoFrom: '2025-06-27', koukiFrom: '2025-08-04', allInsurersFrom: '2025-11-12', lastDay: '2026-07-31' },
  kouki: { ageRuleFrom: '2026-08-01', ageForCertificate: 85, actualUse: { minUsesIn12Months: 6, minUsesIn3Months: 1 } },
  // Most sources (協会けんぽ 2025-07-16, いわき市, 多摩市) count the grace from the end of the expiry month.
  certificate: { warnMonthsBefore: 3, graceMonths: 3, graceCountsFrom: 'end-of-expiry-month' },
  reference: { kokuhoKoukiOldCardsExpire: '2025-07-31', seedMunicipalOldCardsExpire: '2025-09-30', temporaryHandlingFirstLastDay: '2026-03-31' },
});

/** Override from configuration: one level of nesting merged onto the defaults, e.g. `{ temporaryHandling: { lastDay: '2026-09-30' } }`. */
export type RulesOverride = { [K in keyof RulesTable]?: RulesTable[K] extends object ? Partial<RulesTable[K]> : RulesTable[K] };

/** The fields an override sets, as dotted paths ("temporaryHandling.lastDay"), for the start-up log and the console. */
export function overriddenFields(override: unknown): string[] {
  if (typeof override !== 'object' || override === null || Array.isArray(override)) return [];
  return Object.entries(override).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value).map((child) => `${key}.${child}`) : [key],
  );
}

/** The defaults with `override` applied, validated. Bad config → INPUT_INVALID naming the field, never a throw. */
export function rulesTableFrom(override: unknown, base: RulesTable = DEFAULT_RULES): Result<RulesTable> {
  if (override === undefined) return ok(base);
  if (typeof override !== 'object' || override === null || Array.isArray(override)) {
    return fail('INPUT_INVALID', 'document rules override must be an object');
  }
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    const nested = typeof current === 'object' && current !== null && typeof value === 'object' && value !== null;
    merged[key] = nested ? { ...current, ...value } : value;
  }
  const parsed = RulesTableSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail('INPUT_INVALID', `document rules override: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return ok(parsed.data);
}

export type TimelineEvent =
  | 'newDocumentsFrom'
  | 'mobileConsentAppFrom'
  | 'kokuhoKoukiOldCardsExpire'
  | 'temporaryHandlingKokuhoFrom'
  | 'temporaryHandlingKoukiFrom'
  | 'smartphoneFrom'
  | 'seedMunicipalOldCardsExpire'
  | 'temporaryHandlingAllInsurersFrom'
  | 'oldCardLastDay'
  | 'temporaryHandlingFirstLastDay'
  | 'temporaryHandlingLastDay'
  | 'koukiAgeRuleFrom';

/** Every date of the table as a dated event, oldest first (for `kiosk-agent documents --timeline` and the README). */
export function timelineOf(table: RulesTable): Array<{ event: TimelineEvent; date: string }> {
  const events: Record<TimelineEvent, string> = {
    newDocumentsFrom: table.newDocumentsFrom,
    mobileConsentAppFrom: table.mobileConsentAppFrom,
    kokuhoKoukiOldCardsExpire: table.reference.kokuhoKoukiOldCardsExpire,
    temporaryHandlingKokuhoFrom: table.temporaryHandling.kokuhoFrom,
    temporaryHandlingKoukiFrom: table.temporaryHandling.koukiFrom,
    smartphoneFrom: table.smartphoneFrom,
    seedMunicipalOldCardsExpire: table.reference.seedMunicipalOldCardsExpire,
    temporaryHandlingAllInsurersFrom: table.temporaryHandling.allInsurersFrom,
    oldCardLastDay: table.oldCardLastDay,
    temporaryHandlingFirstLastDay: table.reference.temporaryHandlingFirstLastDay,
    temporaryHandlingLastDay: table.temporaryHandling.lastDay,
    koukiAgeRuleFrom: table.kouki.ageRuleFrom,
  };
  return Object.entries(events)
    .map(([event, date]) => ({ event: event as TimelineEvent, date }))
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The table an agent runs and, when a clinic's rules file overrides it, which file and which fields. */
export interface RulesInForce {
  table: RulesTable;
  override?: { file: string; fields: string[] };
}

/** The table from a clinic's override (already parsed JSON) named `file`, validated. */
export function rulesInForceFrom(file: string, override: unknown): Result<RulesInForce> {
  const table = rulesTableFrom(override);
  if (!table.ok) return table;
  return ok({ table: table.value, override: { file, fields: overriddenFields(override) } });
}
