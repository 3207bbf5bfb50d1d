import {
  AuthMethodSchema,
  CHECKIN_ORIGINS,
  CHECKIN_STATUSES,
  DocumentDecisionSchema,
  EligibilityOutcomeSchema,
  StaffReasonSchema,
  type AuthMethod,
  type CheckInOrigin,
  type CheckInStatus,
  type DocumentDecision,
  type DocumentId,
  type EligibilityOutcome,
  type StaffReason,
} from '@kiosk/protocol';
import { z } from 'zod';
import type { Db } from './db.ts';
import { bit, jsonText, parseRow, parseRows } from './rows.ts';

/**
 * The check-in records as the desk and the export read them (checkins with their manual entries), and the
 * manual entries made at the desk (staff_manual_entries). Tables in storage/schema.ts.
 */

/** Japan day → the UTC instants that bound it. JST has no DST. */
export function japanDayBounds(day: string): { from: string; to: string } {
  const start = new Date(`${day}T00:00:00+09:00`);
  return { from: start.toISOString(), to: new Date(start.getTime() + 24 * 3600_000).toISOString() };
}

const text = z.string();
const maybeText = z.string().nullable();
const { decision: DecisionKindSchema, documents: DocumentsSchema, reasons: ReasonsSchema, staffChecks: StaffChecksSchema } = DocumentDecisionSchema.shape;

const DayRowSchema = z
  .object({
    session_id: text,
    started_at: text,
    ended_at: maybeText,
    origin: z.enum(CHECKIN_ORIGINS),
    status: z.enum(CHECKIN_STATUSES),
    auth_method: AuthMethodSchema.nullable(),
    eligibility_outcome: EligibilityOutcomeSchema.nullable(),
    new_patient: bit,
    patient_number: maybeText,
    staff_reason: StaffReasonSchema.nullable(),
    end_reason: maybeText,
    interrupted: bit,
    queue_number: z.number().int().nullable(),
    resolved_by: maybeText,
    // The manual entry's columns: all null when the check-in has none (LEFT JOIN).
    decision: DecisionKindSchema.nullable(),
    documents: jsonText(DocumentsSchema).nullable(),
    reasons: jsonText(ReasonsSchema).nullable(),
    staff_checks: jsonText(StaffChecksSchema).nullable(),
    lookup_outcome: z.union([EligibilityOutcomeSchema, z.literal('unavailable')]).nullable(),
    insurer_number: maybeText,
    symbol: maybeText,
    number: maybeText,
    branch: maybeText,
    source_session_id: maybeText,
  })
  .transform((r, ctx) => {
    let manual: DayCheckIn['manual'] = null;
    if (r.decision !== null) {
      if (r.documents === null || r.reasons === null || r.staff_checks === null) {
        ctx.addIssue({ code: 'custom', message: 'manual entry without its documents', path: ['documents'] });
        return z.NEVER;
      }
      manual = {
        decision: r.decision,
        documents: r.documents,
        reasons: r.reasons,
        staffChecks: r.staff_checks,
        lookupOutcome: r.lookup_outcome,
        insurerNumber: r.insurer_number,
        symbol: r.symbol,
        number: r.number,
        branch: r.branch,
        sourceSessionId: r.source_session_id,
      };
    }
    return {
      sessionId: r.session_id,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      origin: r.origin,
      status: r.status,
      authMethod: r.auth_method,
      eligibilityOutcome: r.eligibility_outcome,
      newPatient: r.new_patient,
      patientNumber: r.patient_number,
      staffReason: r.staff_reason,
      endReason: r.end_reason,
      interrupted: r.interrupted,
      queueNumber: r.queue_number,
      resolvedBy: r.resolved_by,
      manual,
    } satisfies DayCheckIn;
  });

/** One check-in of a Japan day with its manual entry, as stored. Personal fields only from the manual entry. */
export interface DayCheckIn {
  sessionId: string;
  startedAt: string;
  endedAt: string | null;
  origin: CheckInOrigin;
  status: CheckInStatus;
  authMethod: AuthMethod | null;
  eligibilityOutcome: EligibilityOutcome | null;
  newPatient: boolean;
  patientNumber: string | null;
  staffReason: StaffReason | null;
  endReason: string | null;
  interrupted: boolean;
  queueNumber: number | null;
  /** Set when a manual entry at the desk resolved this session (the entry's own check-in has it too). */
  resolvedBy: string | null;
  manual: {
    decision: DocumentDecision['decision'];
    documents: DocumentId[];
    reasons: DocumentDecision['reasons'];
    staffChecks: DocumentDecision['staffChecks'];
    lookupOutcome: EligibilityOutcome | 'unavailable' | null;
    insurerNumber: string | null;
    symbol: string | null;
    number: string | null;
    branch: string | null;
    sourceSessionId: string | null;
  } | null;
}

/**
 * Every check-in started on a Japan day, oldest first. Only reads (the tables are made when the
 * database is opened), so the day's list still reads on a full disk. A row that is not as the schema
 * says throws StoredRowError.
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
    .all(from, to);
  return parseRows('checkins', DayRowSchema, rows);
}

/**
 * A manual entry made at the desk on the fallback path, one per check-in it produced. The insurance
 * numbers are kept because the receipt computer needs them (export); the birth date used for 一件照会
 * is not stored. Nothing here is ever logged or written to the audit trail.
 */
export interface ManualEntryRecord {
  checkInSessionId: string;
  sourceSessionId?: string;
  createdAt: Date;
  staff: string;
  decision: DocumentDecision;
  lookupOutcome?: EligibilityOutcome | 'unavailable';
  insurance?: { insurerNumber: string; symbol?: string; number?: string; branch?: string };
  printedExpiry?: Partial<Record<DocumentId, string>>;
}

const QueueNumberRow = z.object({ queue_number: z.number().int() });

/** The queue number a kiosk session already got, on the kiosk or through an earlier manual entry at the desk. */
export function completedQueueNumber(db: Db, kioskSessionId: string): number | undefined {
  const row = db
    .prepare(
      `SELECT queue_number FROM checkins WHERE status = 'completed' AND (session_id = @id
         OR session_id IN (SELECT checkin_session_id FROM staff_manual_entries WHERE source_session_id = @id))
       ORDER BY ended_at LIMIT 1`,
    )
    .get({ id: kioskSessionId });
  return row === undefined ? undefined : parseRow('checkins', QueueNumberRow, row).queue_number;
}

/** Inserts an entry; returns its id. Throws on SQLite failure (callers run it inside their transaction). */
export function insertManualEntry(db: Db, entry: ManualEntryRecord): number {
  const result = db
    .prepare(
      `INSERT INTO staff_manual_entries (checkin_session_id, source_session_id, created_at, staff, documents, decision, reasons, staff_checks,
         lookup_outcome, insurer_number, symbol, number, branch, printed_expiry)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      entry.checkInSessionId,
      entry.sourceSessionId ?? null,
      entry.createdAt.toISOString(),
      entry.staff,
      JSON.stringify(entry.decision.documents),
      entry.decision.decision,
      JSON.stringify(entry.decision.reasons),
      JSON.stringify(entry.decision.staffChecks),
      entry.lookupOutcome ?? null,
      entry.insurance?.insurerNumber ?? null,
      entry.insurance?.symbol ?? null,
      entry.insurance?.number ?? null,
      entry.insurance?.branch ?? null,
      entry.printedExpiry ? JSON.stringify(entry.printedExpiry) : null,
    );
  return Number(result.lastInsertRowid);
}
