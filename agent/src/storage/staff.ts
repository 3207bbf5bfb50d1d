import { DocumentDecisionSchema, type DocumentDecision, type DocumentId } from '@kiosk/protocol';
import { z } from 'zod';
import { insertRow, type Db } from './db.ts';
import { japanDayBounds } from './records.ts';
import { CountRow, jsonText, parseRow, parseRows } from './rows.ts';

/**
 * The staff side's tables (storage/schema.ts): staff_accounts; staff_alert_acks, the alerts staff dismissed;
 * checkin_documents (read only: the check-in store writes it), the documents a patient chose on the kiosk's manual path and the rules' verdict,
 * so the desk still sees them once the kiosk has moved on to the next patient.
 */

// ── Accounts ──

export interface StaffAccountStore {
  /** 'exists' when the username is taken; 'unavailable' when the row cannot be written. */
  insert(username: string, passwordHash: string, at: Date): 'added' | 'exists' | 'unavailable';
  remove(username: string): boolean;
  list(): Array<{ username: string; createdAt: string }>;
  count(): number;
  /** The password hash of an enabled account. */
  passwordHash(username: string): string | undefined;
}

const AccountRow = z.object({ username: z.string(), created_at: z.string() }).transform((r) => ({ username: r.username, createdAt: r.created_at }));
const HashRow = z.object({ password_hash: z.string() });

export function createStaffAccountStore(db: Db): StaffAccountStore {
  const insert = db.prepare('INSERT INTO staff_accounts (username, password_hash, created_at) VALUES (?, ?, ?)');
  const remove = db.prepare('DELETE FROM staff_accounts WHERE username = ?');
  const list = db.prepare('SELECT username, created_at FROM staff_accounts ORDER BY username');
  const count = db.prepare('SELECT COUNT(*) AS n FROM staff_accounts');
  const hash = db.prepare('SELECT password_hash FROM staff_accounts WHERE username = ? AND disabled = 0');
  return {
    insert: (username, passwordHash, at) => insertRow(() => insert.run(username, passwordHash, at.toISOString())),
    remove: (username) => remove.run(username).changes === 1,
    list: () => parseRows('staff_accounts', AccountRow, list.all()),
    count: () => parseRow('staff_accounts', CountRow, count.get()).n,
    passwordHash(username) {
      const row = hash.get(username);
      return row === undefined ? undefined : parseRow('staff_accounts', HashRow, row).password_hash;
    },
  };
}

// ── The board: dismissed alerts and the documents chosen on the kiosk ──

/** What a patient chose on the kiosk's manual path, and the rules' verdict once given. */
export interface KioskDocuments {
  documents: DocumentId[];
  decision?: DocumentDecision['decision'];
}

export interface StaffBoardStore {
  /** The ids of the alerts staff dismissed. */
  acknowledged(): Set<string>;
  /** Records a dismissal; false when the alert was dismissed before. */
  acknowledge(alertId: string, staff: string, at: Date): boolean;
  /** The documents chosen on the kiosk (recorded by the check-in store) in the sessions started on a Japan day, by session id. */
  kioskDocuments(day: string): Map<string, KioskDocuments>;
}

const AckRow = z.object({ alert_id: z.string() });
const KioskDocumentsRow = z
  .object({ session_id: z.string(), documents: jsonText(DocumentDecisionSchema.shape.documents), decision: DocumentDecisionSchema.shape.decision.nullable() })
  .transform((r): [string, KioskDocuments] => [r.session_id, { documents: r.documents, ...(r.decision ? { decision: r.decision } : {}) }]);

export function createStaffBoardStore(db: Db): StaffBoardStore {
  const acked = db.prepare('SELECT alert_id FROM staff_alert_acks');
  const ack = db.prepare('INSERT OR IGNORE INTO staff_alert_acks (alert_id, acked_at, staff) VALUES (?, ?, ?)');
  const kioskDocuments = db.prepare(
    `SELECT d.session_id, d.documents, d.decision FROM checkin_documents d JOIN checkins c ON c.session_id = d.session_id
     WHERE c.started_at >= ? AND c.started_at < ?`,
  );
  return {
    acknowledged: () => new Set(parseRows('staff_alert_acks', AckRow, acked.all()).map((r) => r.alert_id)),
    acknowledge: (alertId, staff, at) => ack.run(alertId, at.toISOString(), staff).changes === 1,
    kioskDocuments(day) {
      const { from, to } = japanDayBounds(day);
      return new Map(parseRows('checkin_documents', KioskDocumentsRow, kioskDocuments.all(from, to)));
    },
  };
}
