import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../storage/db.ts';
import { purgeRowsBefore } from '../storage/retention.ts';

export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 3600_000;

export interface PurgeReport {
  cutoff: string;
  dryRun: boolean;
  /** Rows older than the cutoff per table (to be) deleted. */
  tables: Record<string, number>;
}

/** Deletes (or, dry run, counts) the records older than `days` before now (the tables: storage/retention.ts), in one transaction. */
export function purgeRecords(db: Db, options: { now: Date; days: number; dryRun: boolean }): PurgeReport {
  const cutoff = new Date(options.now.getTime() - options.days * DAY_MS);
  return { cutoff: cutoff.toISOString(), dryRun: options.dryRun, tables: purgeRowsBefore(db, { cutoff, dryRun: options.dryRun }) };
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
