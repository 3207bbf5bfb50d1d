import type { Clock } from '../clock.ts';
import { japanDate } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../storage/db.ts';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 3600_000;

/**
 * Every dated record table and the column that dates a row. ISO timestamps and YYYY-MM-DD days both
 * compare as text against the cutoff in the same format. The patients table is the clinic's patient
 * register (numbers must not be reissued), not a visit record, so it is kept; so is orca_patients (ORCA's
 * 患者番号 per patient).
 */
const RETAINED: ReadonlyArray<{ table: string; column: string; format: 'instant' | 'day' }> = [
  { table: 'consents', column: 'recorded_at', format: 'instant' },
  { table: 'staff_manual_entries', column: 'created_at', format: 'instant' },
  { table: 'staff_alert_acks', column: 'acked_at', format: 'instant' },
  { table: 'staff_kiosk_documents', column: 'recorded_at', format: 'instant' },
  { table: 'checkins', column: 'started_at', format: 'instant' },
  { table: 'checkin_queue', column: 'day', format: 'day' },
  { table: 'oqs_bindings', column: 'bound_at', format: 'instant' },
  { table: 'oqs_staff_items', column: 'created_at', format: 'instant' },
  { table: 'oqs_files', column: 'processed_at', format: 'instant' },
  { table: 'oqs_requests', column: 'created_at', format: 'instant' },
  { table: 'staff_audit', column: 'at', format: 'instant' },
  { table: 'orca_outbox', column: 'created_at', format: 'instant' },
];

export interface PurgeReport {
  cutoff: string;
  dryRun: boolean;
  /** Rows older than the cutoff per table (to be) deleted. */
  tables: Record<string, number>;
}

/** Deletes (or, dry run, counts) rows older than `days` before now, in one transaction. */
export function purgeRecords(db: Db, options: { now: Date; days: number; dryRun: boolean }): PurgeReport {
  const cutoffInstant = new Date(options.now.getTime() - options.days * DAY_MS);
  const cutoff = cutoffInstant.toISOString();
  const tables: Record<string, number> = {};
  db.transaction(() => {
    for (const { table, column, format } of RETAINED) {
      const bound = format === 'day' ? japanDate(cutoffInstant) : cutoff;
      const where = `FROM ${table} WHERE ${column} < ?`;
      tables[table] = options.dryRun
        ? (db.prepare(`SELECT COUNT(*) AS n ${where}`).get(bound) as { n: number }).n
        : db.prepare(`DELETE ${where}`).run(bound).changes;
    }
  })();
  return { cutoff, dryRun: options.dryRun, tables };
}

/** Purges at start-up and then once a day; returns a stop function. The timer never keeps the process alive. */
export function startRetentionTimer(deps: { db: Db; clock: Clock; logger: Logger; days: number; intervalMs?: number }): () => void {
  const run = () => {
    try {
      const report = purgeRecords(deps.db, { now: deps.clock.now(), days: deps.days, dryRun: false });
      deps.logger.info({ event: 'retention-purge', cutoff: report.cutoff, tables: report.tables }, 'old records purged');
    } catch (error) {
      deps.logger.error({ event: 'retention-purge-failed', code: (error as { code?: unknown }).code ?? null }, 'purge failed');
    }
  };
  run();
  const timer = setInterval(run, deps.intervalMs ?? DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
