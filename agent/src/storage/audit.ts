import { fail, ok, type Result } from '@kiosk/protocol';
import { z } from 'zod';
import type { Db } from './db.ts';
import { parseRows } from './rows.ts';

/**
 * The staff audit trail: who did what to which record, when, and how it ended. Only codes and opaque
 * ids go in: an action name, a session id or account name, an outcome code. No personal values.
 */
export const AUDIT_ACTIONS = [
  'login',
  'login-refused',
  'logout',
  'approve-visual',
  'decline-visual',
  'take-over',
  'dismiss',
  'orca-resend',
  'orca-cancel',
  'manual-entry',
  'export',
  'account-added',
  'account-removed',
  'device-added',
  'device-removed',
  'purge',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: string;
  actor: string;
  action: AuditAction;
  /** Session id, account name, export day or alert id: never a personal value. */
  subject?: string;
  /** "ok" or a stable error code. */
  outcome: string;
}

export interface AuditTrail {
  /** STORAGE_UNAVAILABLE when the row cannot be written; callers refuse the action then. */
  record(entry: Omit<AuditEntry, 'at'> & { at: Date }): Result<void>;
  list(options?: { since?: Date; limit?: number }): AuditEntry[];
}

const AuditRowSchema = z
  .object({ at: z.string(), actor: z.string(), action: z.enum(AUDIT_ACTIONS), subject: z.string().nullable(), outcome: z.string() })
  .transform(({ subject, ...rest }): AuditEntry => ({ ...rest, ...(subject === null ? {} : { subject }) }));

/** The trail's table is staff_audit (storage/schema.ts); a row that is not as the schema says is a StoredRowError. */
export function createAuditTrail(db: Db): AuditTrail {
  const insert = db.prepare('INSERT INTO staff_audit (at, actor, action, subject, outcome) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare('SELECT at, actor, action, subject, outcome FROM staff_audit WHERE at >= ? ORDER BY id DESC LIMIT ?');
  return {
    record: ({ at, actor, action, subject, outcome }) => {
      try {
        insert.run(at.toISOString(), actor, action, subject ?? null, outcome);
        return ok(undefined);
      } catch {
        return fail('STORAGE_UNAVAILABLE');
      }
    },
    list: ({ since, limit } = {}) => parseRows('staff_audit', AuditRowSchema, select.all(since?.toISOString() ?? '', limit ?? 500)),
  };
}
