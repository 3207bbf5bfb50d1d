import type { DocumentDecision, DocumentId, EligibilityOutcome } from '@kiosk/protocol';
import type { Db } from '../storage/db.ts';

/**
 * Manual entries made at the desk on the fallback path, one per check-in they produced. The insurance
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

/** The queue number a kiosk session already got, on the kiosk or through an earlier manual entry at the desk. */
export function completedQueueNumber(db: Db, kioskSessionId: string): number | undefined {
  const row = db
    .prepare(
      `SELECT queue_number FROM checkins WHERE status = 'completed' AND (session_id = @id
         OR session_id IN (SELECT checkin_session_id FROM staff_manual_entries WHERE source_session_id = @id))
       ORDER BY ended_at LIMIT 1`,
    )
    .get({ id: kioskSessionId }) as { queue_number: number } | undefined;
  return row?.queue_number;
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
