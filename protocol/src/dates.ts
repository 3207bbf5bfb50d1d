import { z } from 'zod';

/**
 * Japan calendar dates, YYYY-MM-DD: the one validator for every place a date enters (wire, HTTP query,
 * CLI, configuration). A pattern alone lets 2026-13-01 through (Date then throws) and rolls 2026-02-30
 * over to March, so the day must exist.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day in YYYY-MM-DD form (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps the years 0–99 to 1900–1999. Out-of-range parts roll over.
  probe.setUTCFullYear(year, month - 1, day);
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export const IsoDateSchema = z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD');
