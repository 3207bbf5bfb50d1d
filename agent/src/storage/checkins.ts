import { createHmac, randomBytes } from 'node:crypto';
import { fail, ok, type ConsentItem, type Result } from '@kiosk/protocol';
import type { Db } from './db.ts';
import type { CheckInStore, ConsentAnswers, ReceptionSink } from '../flow/ports.ts';
import { japanDate } from '../clock.ts';
import { z } from 'zod';
import { bit, parseRow, parseRows } from './rows.ts';

/**
 * Check-in records: the minimum a clinic needs to see who checked in and what happened, and nothing the
 * front desk does not need. No names, birth dates, insurance numbers or certificate serials are stored;
 * consents and known patients are keyed by a salted HMAC of the certificate serial or insurance identity.
 *
 * Its tables (defined in storage/schema.ts):
 * - checkin_meta(key, value): installation salt for subject keys (never leaves the database).
 * - checkins: one row per session; status in-progress → completed | staff | fallback | abandoned | interrupted.
 * - checkin_queue(day, last_number): the last queue number issued per Japan day.
 * - patients(patient_number, identity_key, created_at, phone): patients registered by the kiosk (初診).
 * - consents(id, session_id, subject_key, recorded_at, source, <item> columns): information-sharing answers.
 */

const CONSENT_COLUMNS = ['diagnosis', 'medication', 'checkup', 'operation'] as const satisfies readonly ConsentItem[];

const PATIENT_NUMBER_DIGITS = 6;

const SaltRow = z.object({ value: z.string() });
const QueueRow = z.object({ last_number: z.number().int() });
const SessionRow = z.object({ session_id: z.string() });
const PatientRow = z.object({ patient_number: z.string() });
const MaxRow = z.object({ n: z.number().int() });
const answer = bit.nullable();
const ConsentRow = z.object({
  recorded_at: z.string(),
  diagnosis: answer,
  medication: answer,
  checkup: answer,
  operation: answer,
} satisfies Record<'recorded_at' | ConsentItem, z.ZodType>);

/** Any SQLite failure (disk full, read-only, locked) becomes STORAGE_UNAVAILABLE instead of an exception. */
function guarded<T>(write: () => T): Result<T> {
  try {
    return ok(write());
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return fail('STORAGE_UNAVAILABLE', undefined, { sqlite: typeof code === 'string' ? code : null });
  }
}

function loadSalt(db: Db): string {
  const row = db.prepare("SELECT value FROM checkin_meta WHERE key = 'subject_salt'").get();
  if (row) return parseRow('checkin_meta', SaltRow, row).value;
  const salt = randomBytes(32).toString('hex');
  db.prepare("INSERT INTO checkin_meta (key, value) VALUES ('subject_salt', ?)").run(salt);
  return salt;
}

/** With a reception sink, every completion also writes its 受付 request, in the completing transaction. */
export function createCheckInStore(db: Db, options: { reception?: ReceptionSink } = {}): CheckInStore {
  const salt = loadSalt(db);

  const insertCheckIn = db.prepare("INSERT INTO checkins (session_id, started_at, origin, status) VALUES (?, ?, ?, 'in-progress')");
  const noteCheckIn = db.prepare(
    `UPDATE checkins SET auth_method = COALESCE(@authMethod, auth_method),
       eligibility_outcome = COALESCE(@eligibilityOutcome, eligibility_outcome),
       staff_reason = COALESCE(@staffReason, staff_reason)
     WHERE session_id = @sessionId`,
  );
  const noteDocuments = db.prepare(
    `INSERT INTO checkin_documents (session_id, recorded_at, documents, decision) VALUES (?, ?, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET recorded_at = excluded.recorded_at, documents = excluded.documents, decision = excluded.decision`,
  );
  const endCheckIn = db.prepare(
    `UPDATE checkins SET status = @status, ended_at = @at, end_reason = @reason, staff_reason = COALESCE(@staffReason, staff_reason)
     WHERE session_id = @sessionId AND status = 'in-progress'`,
  );
  const nextQueue = db.prepare(
    `INSERT INTO checkin_queue (day, last_number) VALUES (?, 1)
     ON CONFLICT (day) DO UPDATE SET last_number = last_number + 1 RETURNING last_number`,
  );
  const completeCheckIn = db.prepare(
    `UPDATE checkins SET status = 'completed', ended_at = @at, auth_method = COALESCE(@authMethod, auth_method),
       eligibility_outcome = COALESCE(@eligibilityOutcome, eligibility_outcome), new_patient = @newPatient,
       patient_number = @patientNumber, queue_day = @day, queue_number = @queueNumber
     WHERE session_id = @sessionId AND status = 'in-progress'`,
  );
  const selectInProgress = db.prepare("SELECT session_id FROM checkins WHERE status = 'in-progress'");
  const interrupt = db.prepare(
    "UPDATE checkins SET status = 'interrupted', interrupted = 1, ended_at = ?, end_reason = 'agent-restarted' WHERE status = 'in-progress'",
  );
  const selectConsent = db.prepare(
    `SELECT recorded_at, ${CONSENT_COLUMNS.join(', ')} FROM consents WHERE subject_key = ? AND recorded_at >= ? ORDER BY recorded_at DESC, id DESC LIMIT 1`,
  );
  const insertConsent = db.prepare(
    `INSERT INTO consents (session_id, subject_key, recorded_at, source, ${CONSENT_COLUMNS.join(', ')})
     VALUES (@sessionId, @subjectKey, @recordedAt, @source, ${CONSENT_COLUMNS.map((c) => `@${c}`).join(', ')})`,
  );
  const selectPatient = db.prepare('SELECT patient_number FROM patients WHERE identity_key = ?');
  // MAX, not COUNT: numbers are never reused even if a retention job later deletes rows.
  const lastPatientNumber = db.prepare('SELECT COALESCE(MAX(CAST(patient_number AS INTEGER)), 0) AS n FROM patients');
  const insertPatient = db.prepare('INSERT INTO patients (patient_number, identity_key, created_at, phone) VALUES (?, ?, ?, ?)');

  const patientOf = (identityKey: string) => {
    const row = selectPatient.get(identityKey);
    return row === undefined ? undefined : parseRow('patients', PatientRow, row);
  };
  const toBit = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);

  return {
    subjectKey: (kind, value) => createHmac('sha256', salt).update(`${kind}:${value}`).digest('hex'),

    beginCheckIn: ({ sessionId, startedAt, origin }) => guarded(() => void insertCheckIn.run(sessionId, startedAt.toISOString(), origin)),

    noteCheckIn: (sessionId, facts) =>
      guarded(
        () =>
          void noteCheckIn.run({
            sessionId,
            authMethod: facts.authMethod ?? null,
            eligibilityOutcome: facts.eligibilityOutcome ?? null,
            staffReason: facts.staffReason ?? null,
          }),
      ),

    noteDocuments: (sessionId, chosen, at) =>
      guarded(() => void noteDocuments.run(sessionId, at.toISOString(), JSON.stringify(chosen.documents), chosen.decision)),

    endCheckIn: (sessionId, end) =>
      guarded(
        () =>
          void endCheckIn.run({ sessionId, status: end.status, at: end.at.toISOString(), reason: end.reason ?? null, staffReason: end.staffReason ?? null }),
      ),

    completeCheckIn: (sessionId, completion) =>
      guarded(
        db.transaction(() => {
          const day = japanDate(completion.at);
          const { last_number: queueNumber } = parseRow('checkin_queue', QueueRow, nextQueue.get(day));
          const changed = completeCheckIn.run({
            sessionId,
            at: completion.at.toISOString(),
            authMethod: completion.authMethod ?? null,
            eligibilityOutcome: completion.eligibilityOutcome ?? null,
            newPatient: completion.newPatient ? 1 : 0,
            patientNumber: completion.patientNumber ?? null,
            day,
            queueNumber,
          }).changes;
          // A session that is not in progress must not consume a number: throwing rolls the transaction back.
          if (changed !== 1) throw Object.assign(new Error('check-in not in progress'), { code: 'CHECKIN_NOT_IN_PROGRESS' });
          options.reception?.enqueue({
            sessionId,
            at: completion.at,
            newPatient: completion.newPatient,
            ...(completion.identityKey ? { identityKey: completion.identityKey } : {}),
            ...(completion.person ? { person: completion.person } : {}),
          });
          return { queueNumber };
        }),
      ),

    markInterrupted: (at) =>
      guarded(
        db.transaction(() => {
          const ids = parseRows('checkins', SessionRow, selectInProgress.all()).map((r) => r.session_id);
          interrupt.run(at.toISOString());
          return ids;
        }),
      ),

    findConsent: (subjectKey, notBefore) =>
      guarded(() => {
        const stored = selectConsent.get(subjectKey, notBefore.toISOString());
        if (!stored) return null;
        const row = parseRow('consents', ConsentRow, stored);
        const given: ConsentAnswers = {};
        for (const item of CONSENT_COLUMNS) if (row[item] !== null) given[item] = row[item];
        return { given, recordedAt: new Date(row.recorded_at) };
      }),

    recordConsent: ({ sessionId, subjectKey, given, recordedAt, source }) =>
      guarded(
        () =>
          void insertConsent.run({
            sessionId,
            subjectKey,
            recordedAt: recordedAt.toISOString(),
            source,
            ...Object.fromEntries(CONSENT_COLUMNS.map((item) => [item, toBit(given[item])])),
          }),
      ),

    findPatient: (identityKey) =>
      guarded(() => {
        const row = patientOf(identityKey);
        return row ? { patientNumber: row.patient_number } : null;
      }),

    registerPatient: ({ identityKey, at, phone }) =>
      guarded(
        db.transaction(() => {
          const existing = patientOf(identityKey);
          if (existing) return { patientNumber: existing.patient_number };
          const { n } = parseRow('patients', MaxRow, lastPatientNumber.get());
          const patientNumber = String(n + 1).padStart(PATIENT_NUMBER_DIGITS, '0');
          insertPatient.run(patientNumber, identityKey, at.toISOString(), phone ?? null);
          return { patientNumber };
        }),
      ),
  };
}
