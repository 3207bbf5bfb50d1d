import type { Alert, AlertKind } from '@kiosk/protocol';

/** Outages that stop or slow every check-in, not one patient's. */
const SYSTEM_WIDE: ReadonlySet<AlertKind> = new Set(['storage-unavailable', 'reader-down', 'terminal-down', 'no-reader']);

/**
 * How soon the desk must act, 0 first: a patient standing at the kiosk now; an outage that stops
 * everyone; a patient waiting somewhere (at the desk, or gone); a check-in cut by a restart.
 */
export function urgencyOf(alert: Alert): number {
  if (alert.live) return 0;
  if (SYSTEM_WIDE.has(alert.kind)) return 1;
  return alert.kind === 'agent-restarted' ? 3 : 2;
}

/** By urgency, then the longest waiting first. */
export function byUrgency(alerts: readonly Alert[]): Alert[] {
  return [...alerts].sort((a, b) => urgencyOf(a) - urgencyOf(b) || Date.parse(a.since) - Date.parse(b.since));
}
