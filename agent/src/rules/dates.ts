/**
 * Calendar arithmetic on Japan dates written YYYY-MM-DD. The rules compare days, never instants, so
 * dates stay strings (valid ones sort lexicographically) and arithmetic runs on UTC midnights. Validation:
 * isIsoDate / IsoDateSchema in @kiosk/protocol.
 */
function toUtc(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function fromUtc(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** Same day-of-month `months` later (or earlier), clamped to the month's last day: 2026-01-31 + 1 → 2026-02-28. */
export function addMonths(date: string, months: number): string {
  const d = toUtc(date);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return fromUtc(target);
}

export function startOfMonth(date: string): string {
  return `${date.slice(0, 8)}01`;
}

export function endOfMonth(date: string): string {
  const d = toUtc(date);
  return fromUtc(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)));
}

/** Japan has no DST: JST is always UTC+9. The document rules and certificate dates are Japan dates. */
export function japanDate(d: Date): string {
  return new Date(d.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** The Japan wall-clock time of an instant, HH:MM:SS. */
export function japanTime(d: Date): string {
  return new Date(d.getTime() + 9 * 3600_000).toISOString().slice(11, 19);
}
