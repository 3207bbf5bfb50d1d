import type { EligibilityOutcome } from '@kiosk/protocol';
import type { Db } from '../../storage/db.ts';
import type { ReviewReason } from '@kiosk/protocol';

/**
 * What the oqs driver persists: which face files were processed (exactly once across restarts),
 * which session each file is bound to (at most one, each way), the staff queue and the 一件照会
 * request ids. No personal data: the staff console re-reads a result from the terminal's file.
 */

export type FileStatus = 'ok' | 'stale' | 'error';

export interface OqsStaffItem {
  id: number;
  fileName: string;
  kind: 'walk-in' | 'review';
  reason?: ReviewReason;
  sessionIds: string[];
  outcome?: EligibilityOutcome;
  generatedAt?: string;
  createdAt: string;
  resolvedAt?: string;
  resolvedBy?: string;
  /** bound: claimed by a session automatically; assigned / dismissed: by staff. */
  resolution?: 'bound' | 'assigned' | 'dismissed';
}

interface StaffRow {
  id: number;
  file_name: string;
  kind: string;
  reason: string | null;
  session_ids: string;
  outcome: string | null;
  generated_at: string | null;
  created_at: string;
  resolved_at: string | null;
  resolved_by: string | null;
  resolution: string | null;
}

function itemOf(row: StaffRow): OqsStaffItem {
  const item: OqsStaffItem = {
    id: row.id,
    fileName: row.file_name,
    kind: row.kind as OqsStaffItem['kind'],
    sessionIds: row.session_ids ? row.session_ids.split(',') : [],
    createdAt: row.created_at,
  };
  if (row.reason) item.reason = row.reason as ReviewReason;
  if (row.outcome) item.outcome = row.outcome as EligibilityOutcome;
  if (row.generated_at) item.generatedAt = row.generated_at;
  if (row.resolved_at) item.resolvedAt = row.resolved_at;
  if (row.resolved_by) item.resolvedBy = row.resolved_by;
  if (row.resolution) item.resolution = row.resolution as OqsStaffItem['resolution'];
  return item;
}

export function createOqsStore(db: Db) {
  const fileRow = db.prepare<[string], { status: FileStatus; size: number; mtime_ms: number }>('SELECT status, size, mtime_ms FROM oqs_files WHERE name = ?');
  const upsertFile = db.prepare(
    `INSERT INTO oqs_files (name, status, error_code, generated_at, size, mtime_ms, processed_at) VALUES (@name, @status, @errorCode, @generatedAt, @size, @mtimeMs, @at)
     ON CONFLICT(name) DO UPDATE SET status = excluded.status, error_code = excluded.error_code, generated_at = excluded.generated_at,
       size = excluded.size, mtime_ms = excluded.mtime_ms, processed_at = excluded.processed_at
     WHERE oqs_files.status = 'error'`,
  );
  const insertBinding = db.prepare('INSERT OR IGNORE INTO oqs_bindings (file_name, session_id, bound_at) VALUES (?, ?, ?)');
  const upsertStaff = db.prepare(
    `INSERT INTO oqs_staff_items (file_name, kind, reason, session_ids, outcome, generated_at, created_at)
     VALUES (@fileName, @kind, @reason, @sessionIds, @outcome, @generatedAt, @at)
     ON CONFLICT(file_name) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, session_ids = excluded.session_ids`,
  );
  const resolveStaff = db.prepare('UPDATE oqs_staff_items SET resolved_at = ?, resolved_by = ?, resolution = ? WHERE id = ? AND resolved_at IS NULL');
  const resolveStaffByFile = db.prepare(
    "UPDATE oqs_staff_items SET resolved_at = ?, resolved_by = 'agent', resolution = 'bound' WHERE file_name = ? AND resolved_at IS NULL",
  );

  return {
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },

    /** Processed successfully: nothing the file holds later changes that. */
    isSettled(name: string): boolean {
      const row = fileRow.get(name);
      return row !== undefined && row.status !== 'error';
    },

    /** Done: processed successfully, or failed on exactly this size and mtime (a changed file is retried). */
    isDone(name: string, size: number, mtimeMs: number): boolean {
      const row = fileRow.get(name);
      return row !== undefined && (row.status !== 'error' || (row.size === size && row.mtime_ms === mtimeMs));
    },

    /** Records a processed file; false when it had already been recorded successfully. */
    recordFile(file: { name: string; status: FileStatus; errorCode?: string; generatedAt?: string; size: number; mtimeMs: number }, at: string): boolean {
      return upsertFile.run({ errorCode: null, generatedAt: null, ...file, at }).changes > 0;
    },

    /** Binds a file to a session; false when either is already bound (each file and each session at most once). */
    bind(fileName: string, sessionId: string, at: string): boolean {
      return insertBinding.run(fileName, sessionId, at).changes > 0;
    },

    sessionOf(fileName: string): string | undefined {
      return db.prepare<[string], { session_id: string }>('SELECT session_id FROM oqs_bindings WHERE file_name = ?').get(fileName)?.session_id;
    },

    putStaffItem(
      item: { fileName: string; kind: OqsStaffItem['kind']; reason?: ReviewReason; sessionIds?: string[]; outcome?: EligibilityOutcome; generatedAt?: string },
      at: string,
    ): void {
      upsertStaff.run({ reason: null, outcome: null, generatedAt: null, ...item, sessionIds: (item.sessionIds ?? []).join(','), at });
    },

    /** A walk-in claimed by a session is no longer staff work. */
    markClaimed(fileName: string, at: string): void {
      resolveStaffByFile.run(at, fileName);
    },

    resolveStaffItem(id: number, by: string, resolution: 'assigned' | 'dismissed', at: string): boolean {
      return resolveStaff.run(at, by, resolution, id).changes > 0;
    },

    staffItem(id: number): OqsStaffItem | undefined {
      const row = db.prepare<[number], StaffRow>('SELECT * FROM oqs_staff_items WHERE id = ?').get(id);
      return row ? itemOf(row) : undefined;
    },

    staffItems(includeResolved: boolean): OqsStaffItem[] {
      const sql = `SELECT * FROM oqs_staff_items ${includeResolved ? '' : 'WHERE resolved_at IS NULL'} ORDER BY generated_at, id`;
      return db.prepare<[], StaffRow>(sql).all().map(itemOf);
    },

    requestFor(queryKey: string, notBefore: string): string | undefined {
      return db
        .prepare<[string, string], { request_id: string }>('SELECT request_id FROM oqs_requests WHERE query_key = ? AND created_at >= ?')
        .get(queryKey, notBefore)?.request_id;
    },

    saveRequest(queryKey: string, requestId: string, at: string): void {
      db.prepare(
        'INSERT INTO oqs_requests (query_key, request_id, created_at) VALUES (?, ?, ?) ON CONFLICT(query_key) DO UPDATE SET request_id = excluded.request_id, created_at = excluded.created_at',
      ).run(queryKey, requestId, at);
    },
  };
}

export type OqsStore = ReturnType<typeof createOqsStore>;
