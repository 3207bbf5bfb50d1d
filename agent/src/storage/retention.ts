import { japanDate } from '../clock.ts';
import type { Db } from './db.ts';
import { CountRow, parseRow } from './rows.ts';

/**
 * Every dated record table of the schema (storage/schema.ts) and the column that dates a row, so retention
 * has one list, next to the schema. ISO timestamps and YYYY-MM-DD days both compare as text against the
 * cutoff in the same format. storage/retention.test.ts fails for a dated table in neither list.
 */
export const RETAINED: ReadonlyArray<{ table: string; column: string; format: 'instant' | 'day' }> = [
  { table: 'consents', column: 'recorded_at', format: 'instant' },
  { table: 'staff_manual_entries', column: 'created_at', format: 'instant' },
  { table: 'staff_alert_acks', column: 'acked_at', format: 'instant' },
  { table: 'checkin_documents', column: 'recorded_at', format: 'instant' },
  { table: 'checkins', column: 'started_at', format: 'instant' },
  { table: 'checkin_queue', column: 'day', format: 'day' },
  { table: 'oqs_bindings', column: 'bound_at', format: 'instant' },
  { table: 'oqs_staff_items', column: 'created_at', format: 'instant' },
  { table: 'oqs_files', column: 'processed_at', format: 'instant' },
  { table: 'oqs_requests', column: 'created_at', format: 'instant' },
  { table: 'staff_audit', column: 'at', format: 'instant' },
  { table: 'orca_outbox', column: 'created_at', format: 'instant' },
];

/** Dated tables that are registers, not visit records: kept whatever their age. */
export const KEPT_REGISTERS: ReadonlyArray<{ table: string; why: string }> = [
  { table: 'patients', why: "the clinic's patient register: patient numbers must never be reissued" },
  { table: 'orca_patients', why: "ORCA's 患者番号 per patient key" },
  { table: 'staff_accounts', why: 'the staff accounts, removed by kiosk-agent staff remove' },
  { table: 'security_device_tokens', why: 'the registered kiosk devices, removed by kiosk-agent staff device remove' },
];

/** Deletes (or, dry run, counts) the rows of every retained table dated before the cutoff, in one transaction; rows per table. */
export function purgeRowsBefore(db: Db, options: { cutoff: Date; dryRun: boolean }): Record<string, number> {
  const instant = options.cutoff.toISOString();
  const tables: Record<string, number> = {};
  db.transaction(() => {
    for (const { table, column, format } of RETAINED) {
      const bound = format === 'day' ? japanDate(options.cutoff) : instant;
      const where = `FROM ${table} WHERE ${column} < ?`;
      tables[table] = options.dryRun
        ? parseRow(table, CountRow, db.prepare(`SELECT COUNT(*) AS n ${where}`).get(bound)).n
        : db.prepare(`DELETE ${where}`).run(bound).changes;
    }
  })();
  return tables;
}
