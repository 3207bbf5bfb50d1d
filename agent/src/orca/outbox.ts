import { OrcaAttentionReasonSchema, type OrcaAttentionReason } from '@kiosk/protocol';
import { z } from 'zod';
import { bit, jsonText, parseRow, parseRows } from '../storage/rows.ts';
import type { Db } from '../storage/db.ts';

/**
 * The ORCA outbox and the 患者番号 mapping. Nothing personal: the mapping is keyed by the store's salted
 * insurance identity (CheckInStore.subjectKey), the outbox holds ORCA's numbers and its own state.
 *
 * Its tables (defined in storage/schema.ts):
 * - orca_patients(identity_key, patient_id, updated_at): the ORCA 患者番号 of a patient seen before.
 * - orca_outbox: one 受付 per completed check-in, in completion order (id). state:
 *   pending → sent | attention; cancel (requested) → cancelled. in_doubt = 1: a 受付 or 取消 went out and no
 *   definite answer came back, so ORCA's 受付一覧 is read before anything is sent again.
 */
export const OUTBOX_STATES = ['pending', 'sent', 'attention', 'cancel', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface OutboxRow {
  id: number;
  sessionId: string;
  acceptDate: string;
  acceptTime: string;
  newPatient: boolean;
  identityKey: string | null;
  state: OutboxState;
  patientId: string | null;
  combination: string | null;
  acceptanceId: string | null;
  inDoubt: boolean;
  attempts: number;
  reason: OrcaAttentionReason | null;
  apiResult: string | null;
  message: string | null;
  candidates: string[];
}

const text = z.string().nullable();

/** One orca_outbox row as read, parsed (a row not as the schema says is a StoredRowError, never passed on mistyped). */
const OutboxRowSchema = z
  .object({
    id: z.number().int(),
    session_id: z.string(),
    accept_date: z.string(),
    accept_time: z.string(),
    new_patient: bit,
    identity_key: text,
    state: z.enum(OUTBOX_STATES),
    patient_id: text,
    combination: text,
    acceptance_id: text,
    in_doubt: bit,
    attempts: z.number().int(),
    reason: OrcaAttentionReasonSchema.nullable(),
    api_result: text,
    message: text,
    candidates: jsonText(z.array(z.string())).nullable(),
  })
  .transform((r): OutboxRow => ({
    id: r.id,
    sessionId: r.session_id,
    acceptDate: r.accept_date,
    acceptTime: r.accept_time,
    newPatient: r.new_patient,
    identityKey: r.identity_key,
    state: r.state,
    patientId: r.patient_id,
    combination: r.combination,
    acceptanceId: r.acceptance_id,
    inDoubt: r.in_doubt,
    attempts: r.attempts,
    reason: r.reason,
    apiResult: r.api_result,
    message: r.message,
    candidates: r.candidates ?? [],
  }));
const AcceptanceIdRow = z.object({ acceptance_id: z.string() });
const PatientIdRow = z.object({ patient_id: z.string() });

/** Fields the worker and the desk change; each update names the state it expects, so a staff action in between wins. */
export interface OutboxChange {
  state?: OutboxState;
  patientId?: string | null;
  combination?: string | null;
  acceptanceId?: string | null;
  inDoubt?: boolean;
  attempts?: number;
  reason?: OrcaAttentionReason | null;
  apiResult?: string | null;
  message?: string | null;
  candidates?: string[] | null;
}

const COLUMNS: Record<keyof OutboxChange, string> = {
  state: 'state',
  patientId: 'patient_id',
  combination: 'combination',
  acceptanceId: 'acceptance_id',
  inDoubt: 'in_doubt',
  attempts: 'attempts',
  reason: 'reason',
  apiResult: 'api_result',
  message: 'message',
  candidates: 'candidates',
};

export function createOutbox(db: Db) {
  const insert = db.prepare(
    `INSERT INTO orca_outbox (session_id, created_at, accept_date, accept_time, new_patient, identity_key, state)
     VALUES (@sessionId, @createdAt, @acceptDate, @acceptTime, @newPatient, @identityKey, 'pending')`,
  );
  const next = db.prepare("SELECT * FROM orca_outbox WHERE state IN ('pending', 'cancel') ORDER BY id LIMIT 1");
  const bySession = db.prepare('SELECT * FROM orca_outbox WHERE session_id = ?');
  const ofSessions = db.prepare('SELECT * FROM orca_outbox WHERE session_id IN (SELECT value FROM json_each(?))');
  const mapping = db.prepare('SELECT patient_id FROM orca_patients WHERE identity_key = ?');
  const remember = db.prepare(
    `INSERT INTO orca_patients (identity_key, patient_id, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (identity_key) DO UPDATE SET patient_id = excluded.patient_id, updated_at = excluded.updated_at`,
  );
  const forget = db.prepare('DELETE FROM orca_patients WHERE identity_key = ?');
  const claimed = db.prepare('SELECT acceptance_id FROM orca_outbox WHERE accept_date = ? AND acceptance_id IS NOT NULL AND id <> ?');

  return {
    insert(row: { sessionId: string; createdAt: string; acceptDate: string; acceptTime: string; newPatient: boolean; identityKey?: string }): void {
      insert.run({ ...row, newPatient: row.newPatient ? 1 : 0, identityKey: row.identityKey ?? null });
    },
    /** The oldest row with work to do. */
    next: (): OutboxRow | undefined => {
      const raw = next.get();
      return raw === undefined ? undefined : parseRow('orca_outbox', OutboxRowSchema, raw);
    },
    get: (sessionId: string): OutboxRow | undefined => {
      const raw = bySession.get(sessionId);
      return raw === undefined ? undefined : parseRow('orca_outbox', OutboxRowSchema, raw);
    },
    ofSessions: (sessionIds: readonly string[]): OutboxRow[] => parseRows('orca_outbox', OutboxRowSchema, ofSessions.all(JSON.stringify(sessionIds))),
    /** Applies a change to a row still in `expected` state(s); returns whether it applied. */
    update(id: number, expected: readonly OutboxState[], change: OutboxChange): boolean {
      const entries = Object.entries(change) as [keyof OutboxChange, OutboxChange[keyof OutboxChange]][];
      if (entries.length === 0) return true;
      const sets = entries.map(([key]) => `${COLUMNS[key]} = @${key}`).join(', ');
      const values = Object.fromEntries(
        entries.map(([key, value]) => [key, typeof value === 'boolean' ? (value ? 1 : 0) : Array.isArray(value) ? JSON.stringify(value) : (value ?? null)]),
      );
      const states = expected.map((s) => `'${s}'`).join(', ');
      return db.prepare(`UPDATE orca_outbox SET ${sets} WHERE id = @id AND state IN (${states})`).run({ ...values, id }).changes === 1;
    },
    /** Records the acceptance of a row whatever its state now (a cancel requested meanwhile then cancels it). */
    accepted(id: number, acceptanceId: string): void {
      db.prepare(
        `UPDATE orca_outbox SET acceptance_id = ?, in_doubt = 0, reason = NULL, api_result = NULL, message = NULL,
           state = CASE WHEN state = 'cancel' THEN 'cancel' ELSE 'sent' END
         WHERE id = ?`,
      ).run(acceptanceId, id);
    },
    /** 受付IDs of a day that other rows already hold: a lookup never takes one of them for its own. */
    claimedBy: (date: string, exceptId: number): Set<string> =>
      new Set(parseRows('orca_outbox', AcceptanceIdRow, claimed.all(date, exceptId)).map((r) => r.acceptance_id)),
    patientOf: (identityKey: string): string | undefined => {
      const row = mapping.get(identityKey);
      return row === undefined ? undefined : parseRow('orca_patients', PatientIdRow, row).patient_id;
    },
    remember: (identityKey: string, patientId: string, at: string) => void remember.run(identityKey, patientId, at),
    forget: (identityKey: string) => void forget.run(identityKey),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
