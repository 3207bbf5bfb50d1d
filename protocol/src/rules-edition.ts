import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The edition of the document rules an agent runs: the day its table was checked against the sources,
 * and the sources by title and date. The rules change by notice weeks before a date, so staff are warned
 * when the edition is older than `maxAgeDays`.
 */
export const RulesEditionSchema = z.object({
  checkedOn: isoDate,
  sources: z.array(z.object({ title: z.string(), date: isoDate.optional() })),
});
export type RulesEdition = z.infer<typeof RulesEditionSchema>;

export const DEFAULT_RULES_MAX_AGE_DAYS = 120;

/** What the staff board says about the rules in force. */
export const RulesInfoSchema = z.object({
  edition: RulesEditionSchema,
  /** Warn staff when the edition is older than this many days. */
  maxAgeDays: z.number().int().positive(),
  /** Present when the clinic's rules file overrides the table: the fields it sets, e.g. "temporaryHandling.lastDay". */
  override: z.object({ fields: z.array(z.string()) }).optional(),
});
export type RulesInfo = z.infer<typeof RulesInfoSchema>;

/** Whole days from the edition's check to `today` (both Japan dates YYYY-MM-DD). */
export function rulesEditionAgeDays(checkedOn: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${checkedOn}T00:00:00Z`)) / 86_400_000);
}

/** The edition is older than the configured age on `today`. */
export function rulesEditionStale(info: Pick<RulesInfo, 'edition' | 'maxAgeDays'>, today: string): boolean {
  return rulesEditionAgeDays(info.edition.checkedOn, today) > info.maxAgeDays;
}
