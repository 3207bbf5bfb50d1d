import { fail, ok, type Result } from '@kiosk/protocol';
import type { Db } from '../storage/db.ts';

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
    list: ({ since, limit } = {}) =>
      (select.all(since?.toISOString() ?? '', limit ?? 500) as Array<AuditEntry & { subject: string | null }>).map(({ subject, ...rest }) => ({
        ...rest,
        ...(subject === null ? {} : { subject }),
      })),
  };
}
