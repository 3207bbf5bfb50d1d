import type { Db } from '../storage/db.ts';

/** One check-in of a Japan day with its manual entry, as stored. Personal fields only from the manual entry. */
export interface DayCheckIn {
  sessionId: string;
  startedAt: string;
  endedAt: string | null;
  origin: 'card' | 'reader' | 'manual';
  status: 'in-progress' | 'completed' | 'staff' | 'fallback' | 'abandoned' | 'interrupted';
  authMethod: string | null;
  eligibilityOutcome: string | null;
  newPatient: boolean;
  patientNumber: string | null;
  staffReason: string | null;
  endReason: string | null;
  interrupted: boolean;
  queueNumber: number | null;
  /** Set when a manual entry at the desk resolved this session (the entry's own check-in has it too). */
  resolvedBy: string | null;
  manual: {
    decision: string;
    documents: string;
    reasons: string;
    staffChecks: string;
    lookupOutcome: string | null;
    insurerNumber: string | null;
    symbol: string | null;
    number: string | null;
    branch: string | null;
    sourceSessionId: string | null;
  } | null;
}

/** Japan day → the UTC instants that bound it. JST has no DST. */
export function japanDayBounds(day: string): { from: string; to: string } {
  const start = new Date(`${day}T00:00:00+09:00`);
  return { from: start.toISOString(), to: new Date(start.getTime() + 24 * 3600_000).toISOString() };
}

/**
 * Every check-in started on a Japan day, oldest first. Only reads (the tables are made when the
 * database is opened), so the day's list still reads on a full disk.
 */
export function listDayCheckIns(db: Db, day: string): DayCheckIn[] {
  const { from, to } = japanDayBounds(day);
  const rows = db
    .prepare(
      `SELECT c.session_id, c.started_at, c.ended_at, c.origin, c.status, c.auth_method, c.eligibility_outcome, c.new_patient,
              c.patient_number, c.staff_reason, c.end_reason, c.interrupted, c.queue_number,
              m.decision, m.documents, m.reasons, m.staff_checks, m.lookup_outcome, m.insurer_number, m.symbol, m.number, m.branch,
              m.source_session_id,
              (SELECT r.checkin_session_id FROM staff_manual_entries r WHERE r.source_session_id = c.session_id LIMIT 1) AS resolved_by
       FROM checkins c LEFT JOIN staff_manual_entries m ON m.checkin_session_id = c.session_id
       WHERE c.started_at >= ? AND c.started_at < ?
       ORDER BY c.started_at, c.session_id`,
    )
    .all(from, to) as Array<Record<string, string | number | null>>;
  return rows.map((r) => ({
    sessionId: String(r.session_id),
    startedAt: String(r.started_at),
    endedAt: (r.ended_at as string | null) ?? null,
    origin: r.origin as DayCheckIn['origin'],
    status: r.status as DayCheckIn['status'],
    authMethod: (r.auth_method as string | null) ?? null,
    eligibilityOutcome: (r.eligibility_outcome as string | null) ?? null,
    newPatient: r.new_patient === 1,
    patientNumber: (r.patient_number as string | null) ?? null,
    staffReason: (r.staff_reason as string | null) ?? null,
    endReason: (r.end_reason as string | null) ?? null,
    interrupted: r.interrupted === 1,
    queueNumber: (r.queue_number as number | null) ?? null,
    resolvedBy: (r.resolved_by as string | null) ?? null,
    manual:
      r.decision === null || r.decision === undefined
        ? null
        : {
            decision: String(r.decision),
            documents: String(r.documents),
            reasons: String(r.reasons),
            staffChecks: String(r.staff_checks),
            lookupOutcome: (r.lookup_outcome as string | null) ?? null,
            insurerNumber: (r.insurer_number as string | null) ?? null,
            symbol: (r.symbol as string | null) ?? null,
            number: (r.number as string | null) ?? null,
            branch: (r.branch as string | null) ?? null,
            sourceSessionId: (r.source_session_id as string | null) ?? null,
          },
  }));
}
