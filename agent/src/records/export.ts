import { escapeUnsafeText } from '@kiosk/protocol';
import type { DayCheckIn } from '../storage/records.ts';

/**
 * Today's check-ins for the receipt computer. The insurance numbers of manual entries are included
 * because the receipt computer needs them; the export is an authenticated, audited staff action.
 */
export const EXPORT_COLUMNS = [
  'queue_number',
  'session_id',
  'status',
  'origin',
  'started_at',
  'ended_at',
  'auth_method',
  'eligibility_outcome',
  'new_patient',
  'patient_number',
  'staff_reason',
  'manual_decision',
  'manual_documents',
  'lookup_outcome',
  'insurer_number',
  'symbol',
  'number',
  'branch',
  'resolved_by',
] as const;
export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number | boolean | null>;

/** A leading = + - @ (or its full-width form), space or tab makes a spreadsheet read the cell as a formula. */
const FORMULA_START = /^[=+\-@＝＋－＠ \t]/;

/**
 * One exported text cell, safe for a spreadsheet and a terminal: control and bidi characters written as
 * visible escapes, and a cell a spreadsheet would run as a formula prefixed with '.
 */
export function exportCell(text: string): string {
  const visible = escapeUnsafeText(text);
  return FORMULA_START.test(text) ? `'${visible}` : visible;
}

/** The export's rows: every text cell through exportCell, so CSV, JSON and the CLI print the same safe values. */
export function toExportRows(checkIns: readonly DayCheckIn[]): ExportRow[] {
  return checkIns.map((c) => safeRow(rowOf(c)));
}

function safeRow(row: ExportRow): ExportRow {
  return Object.fromEntries(Object.entries(row).map(([column, value]) => [column, typeof value === 'string' ? exportCell(value) : value])) as ExportRow;
}

function rowOf(c: DayCheckIn): ExportRow {
  return {
    queue_number: c.queueNumber,
    session_id: c.sessionId,
    status: c.status,
    origin: c.origin,
    started_at: c.startedAt,
    ended_at: c.endedAt,
    auth_method: c.authMethod,
    eligibility_outcome: c.eligibilityOutcome,
    new_patient: c.newPatient,
    patient_number: c.patientNumber,
    staff_reason: c.staffReason,
    manual_decision: c.manual?.decision ?? null,
    manual_documents: c.manual ? c.manual.documents.join(' ') : null,
    lookup_outcome: c.manual?.lookupOutcome ?? null,
    insurer_number: c.manual?.insurerNumber ?? null,
    symbol: c.manual?.symbol ?? null,
    number: c.manual?.number ?? null,
    branch: c.manual?.branch ?? null,
    resolved_by: c.resolvedBy,
  };
}

/**
 * RFC 4180 CSV with CRLF and a UTF-8 BOM (the receipt computer's spreadsheet opens it as UTF-8), of rows
 * from toExportRows (their cells are already safe).
 */
export function toCsv(rows: readonly ExportRow[]): string {
  const cell = (value: ExportRow[keyof ExportRow]): string => {
    if (value === null) return '';
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [EXPORT_COLUMNS.join(','), ...rows.map((row) => EXPORT_COLUMNS.map((c) => cell(row[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
