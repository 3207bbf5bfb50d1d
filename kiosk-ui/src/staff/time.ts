import type { StaffLanguage } from './text.ts';

/**
 * Clock times and days as the clinic lives them: Japan time (Asia/Tokyo) whatever zone the desk PC's
 * browser is set to, times as 24-hour HH:mm.
 */
const ZONE = 'Asia/Tokyo';

const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "09:05" for an ISO instant or a Date. */
export function japanTime(at: string | Date): string {
  return timeFormat.format(typeof at === 'string' ? new Date(at) : at);
}

const dayFormats: Record<StaffLanguage, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', { timeZone: ZONE, year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: 'short', day: 'numeric', weekday: 'short' }),
};

/** A Japan day "YYYY-MM-DD" in words: "2025年10月1日(水)", "Wed 1 Oct 2025". */
export function japanDay(day: string, language: StaffLanguage): string {
  return dayFormats[language].format(new Date(`${day}T12:00:00+09:00`));
}

/** Whole minutes from `since` to `now`, never negative (the desk PC's clock may run a little behind the agent's). */
export function minutesSince(since: string, now: number): number {
  return Math.max(0, Math.floor((now - Date.parse(since)) / 60_000));
}
