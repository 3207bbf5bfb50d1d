import { isIsoDate } from '@kiosk/protocol';

/** Date formats of the 外部インターフェイス: YYYYMMDD dates and YYYYMMDDHHmmss Japan-time stamps without a zone. */

const JST_OFFSET_MS = 9 * 3600_000;

/** "20010327" → "2001-03-27"; undefined unless it is a real calendar date. */
export function isoDateOf(value: string | undefined): string | undefined {
  const m = /^\s*(\d{4})(\d{2})(\d{2})\s*$/.exec(value ?? '');
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
  return iso && isIsoDate(iso) ? iso : undefined;
}

/**
 * Why a birth date as written cannot be used as a date: the terminal's output setting can cut digits
 * ("202410（カット）"), and files carry impossible days ("20240230"). undefined: a date, or none written.
 */
export type BirthDateProblem = 'redacted' | 'not-a-date';
export function birthDateProblem(value: string | undefined): BirthDateProblem | undefined {
  if (value === undefined || value.trim() === '' || isoDateOf(value)) return undefined;
  return /カット|[*＊]/.test(value) ? 'redacted' : 'not-a-date';
}

/** "20230221174835" (Japan time, UTC+9) → the instant; undefined when not a valid stamp. */
export function japanTimestamp(value: string | undefined): Date | undefined {
  const m = /^\s*(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\s*$/.exec(value ?? '');
  if (!m || !isoDateOf(`${m[1]}${m[2]}${m[3]}`)) return undefined;
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, mi, s) - JST_OFFSET_MS);
}

/** An instant as ISO 8601 in Japan time with its offset, e.g. "2026-11-22T10:15:30+09:00". */
export function japanIso(instant: Date): string {
  return `${new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 19)}+09:00`;
}

/** An instant as the terminal writes it: YYYYMMDDHHmmss in Japan time. */
export function japanStamp(instant: Date): string {
  return new Date(instant.getTime() + JST_OFFSET_MS).toISOString().slice(0, 19).replace(/\D/g, '');
}
