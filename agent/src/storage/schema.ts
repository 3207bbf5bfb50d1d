import type Database from 'better-sqlite3';
import { z } from 'zod';
import { parseRow } from './rows.ts';

type Db = Database.Database;

/**
 * The agent's one database schema: every table of every module, as an ordered list of migrations.
 * The version applied is recorded in the database (PRAGMA user_version), so an agent opening a
 * database knows whether it is older (migrated on open), current, or newer than this release
 * (refused: an agent never writes to a schema it does not know, e.g. after a rollback without a restore).
 * Append a migration to change the schema; never edit one that has been released.
 *
 * The SQL that reads and writes the tables lives beside this file, one module per concern, each parsing
 * the rows it reads into typed values: checkins.ts (the check-in store), records.ts (the day's check-ins,
 * the desk's manual entries), audit.ts (staff_audit), staff.ts (accounts, dismissed alerts, the documents
 * chosen on the kiosk), devices.ts (kiosk device tokens), retention.ts (which tables are purged, which
 * registers are kept). Two adapters keep their own SQL, because they are adapters of their own ports: the
 * 資格確認端末 driver's store (drivers/oqs/store.ts: the oqs_* tables) and the ORCA outbox (orca/outbox.ts:
 * orca_patients, orca_outbox, the flow's ReceptionSink and ReceptionDesk).
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the tables as the first releases made them, one module at a time. IF NOT EXISTS because a
  // database of those releases already holds the tables of the modules it had run (see dropLegacyBookkeeping).
  `
    -- checkins: storage/checkins.ts, storage/records.ts
    CREATE TABLE IF NOT EXISTS checkin_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS checkins (
      session_id TEXT PRIMARY KEY,
      started_at TEXT NOT NULL,
      ended_at TEXT,
      origin TEXT NOT NULL CHECK (origin IN ('card', 'reader', 'manual')),
      status TEXT NOT NULL CHECK (status IN ('in-progress', 'completed', 'staff', 'fallback', 'abandoned', 'interrupted')),
      auth_method TEXT,
      eligibility_outcome TEXT,
      new_patient INTEGER NOT NULL DEFAULT 0,
      patient_number TEXT,
      staff_reason TEXT,
      end_reason TEXT,
      interrupted INTEGER NOT NULL DEFAULT 0,
      queue_day TEXT,
      queue_number INTEGER,
      UNIQUE (queue_day, queue_number)
    );
    CREATE INDEX IF NOT EXISTS checkins_status ON checkins (status);
    CREATE TABLE IF NOT EXISTS checkin_queue (day TEXT PRIMARY KEY, last_number INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS patients (
      patient_number TEXT PRIMARY KEY,
      identity_key TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      phone TEXT
    );
    CREATE TABLE IF NOT EXISTS consents (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL,
      subject_key TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      source TEXT NOT NULL CHECK (source IN ('kiosk', 'reader')),
      diagnosis INTEGER, medication INTEGER, checkup INTEGER, operation INTEGER
    );
    CREATE INDEX IF NOT EXISTS consents_subject ON consents (subject_key, recorded_at);
    -- oqs: drivers/oqs/store.ts
    CREATE TABLE IF NOT EXISTS oqs_files (
      name TEXT PRIMARY KEY,
      status TEXT NOT NULL,            -- ok | stale | error
      error_code TEXT,
      generated_at TEXT,
      size INTEGER NOT NULL,
      mtime_ms REAL NOT NULL,
      processed_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS oqs_bindings (
      file_name TEXT PRIMARY KEY,
      session_id TEXT NOT NULL UNIQUE,
      bound_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS oqs_staff_items (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      file_name TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,              -- walk-in | review
      reason TEXT,
      session_ids TEXT NOT NULL DEFAULT '',
      outcome TEXT,
      generated_at TEXT,
      created_at TEXT NOT NULL,
      resolved_at TEXT,
      resolved_by TEXT,
      resolution TEXT
    );
    CREATE TABLE IF NOT EXISTS oqs_requests (
      query_key TEXT PRIMARY KEY,
      request_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    -- staff-manual-entries: storage/records.ts
    CREATE TABLE IF NOT EXISTS staff_manual_entries (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      checkin_session_id TEXT NOT NULL UNIQUE,
      source_session_id TEXT,
      created_at TEXT NOT NULL,
      staff TEXT NOT NULL,
      documents TEXT NOT NULL,
      decision TEXT NOT NULL,
      reasons TEXT NOT NULL,
      staff_checks TEXT NOT NULL,
      lookup_outcome TEXT,
      insurer_number TEXT,
      symbol TEXT,
      number TEXT,
      branch TEXT,
      printed_expiry TEXT
    );
    CREATE INDEX IF NOT EXISTS staff_manual_source ON staff_manual_entries (source_session_id);
    -- staff-audit: storage/audit.ts
    CREATE TABLE IF NOT EXISTS staff_audit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT,
      outcome TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS staff_audit_at ON staff_audit (at);
    -- staff-accounts: storage/staff.ts
    CREATE TABLE IF NOT EXISTS staff_accounts (
      username TEXT PRIMARY KEY,
      password_hash TEXT NOT NULL,
      created_at TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0
    );
    -- staff-alerts: storage/staff.ts
    CREATE TABLE IF NOT EXISTS staff_alert_acks (
      alert_id TEXT PRIMARY KEY,
      acked_at TEXT NOT NULL,
      staff TEXT NOT NULL
    );
    -- security-device-tokens: storage/devices.ts
    CREATE TABLE IF NOT EXISTS security_device_tokens (
      name TEXT PRIMARY KEY,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    );
  `,
  // 2: the ORCA reception (orca/outbox.ts): the 患者番号 remembered per patient key, and the 受付 outbox.
  `
    CREATE TABLE orca_patients (
      identity_key TEXT PRIMARY KEY,
      patient_id TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE orca_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      accept_date TEXT NOT NULL,
      accept_time TEXT NOT NULL,
      new_patient INTEGER NOT NULL,
      identity_key TEXT,
      state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'attention', 'cancel', 'cancelled')),
      patient_id TEXT,
      combination TEXT,
      acceptance_id TEXT,
      in_doubt INTEGER NOT NULL DEFAULT 0,
      attempts INTEGER NOT NULL DEFAULT 0,
      reason TEXT,
      api_result TEXT,
      message TEXT,
      candidates TEXT
    );
    CREATE INDEX orca_outbox_state ON orca_outbox (state, id);
  `,
  // 3: the documents a patient chose on the kiosk's manual path and the rules' verdict, written by the check-in
  // store (storage/checkins.ts) when the flow decides them, read for the desk (storage/staff.ts).
  `
    CREATE TABLE checkin_documents (
      session_id TEXT PRIMARY KEY,
      recorded_at TEXT NOT NULL,
      documents TEXT NOT NULL,
      decision TEXT
    );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export type SchemaCheck = { state: 'current'; version: number } | { state: 'older'; version: number } | { state: 'newer'; version: number };

export function schemaVersion(db: Db): number {
  return parseRow('PRAGMA user_version', z.number().int().nonnegative(), db.pragma('user_version', { simple: true }));
}

export function checkSchema(db: Db): SchemaCheck {
  const version = schemaVersion(db);
  if (version > SCHEMA_VERSION) return { state: 'newer', version };
  return { state: version === SCHEMA_VERSION ? 'current' : 'older', version };
}

/**
 * Releases before the one schema kept a schema_migrations table with one row per module (each module
 * had created its own tables). Their tables are exactly migration 1's, so such a database is at
 * version 0 and migration 1 completes it; the old bookkeeping table goes in the same transaction.
 */
function dropLegacyBookkeeping(db: Db): void {
  db.exec('DROP TABLE IF EXISTS schema_migrations');
}

/**
 * Brings the database to SCHEMA_VERSION, each step in its own transaction with its version. Throws
 * SchemaTooNewError for a database written by a newer release. A current database is not written to,
 * so opening one on a full disk still reads.
 */
export function applySchema(db: Db): void {
  const check = checkSchema(db);
  if (check.state === 'newer') throw new SchemaTooNewError(check.version);
  for (let version = check.version + 1; version <= SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version - 1]!);
      if (version === 1) dropLegacyBookkeeping(db);
      db.pragma(`user_version = ${version}`);
    })();
  }
}

export class SchemaTooNewError extends Error {
  readonly code = 'SCHEMA_TOO_NEW';
  constructor(readonly version: number) {
    super(
      `the database has schema version ${version}, this agent knows up to ${SCHEMA_VERSION}: restore the backup made before the upgrade, or install the newer release`,
    );
  }
}
