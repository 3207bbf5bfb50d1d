import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { applySchema, checkSchema, SCHEMA_VERSION, SchemaTooNewError } from './schema.ts';

/** Every table an agent uses, whichever driver and features it runs with. */
const TABLES = [
  'checkin_documents',
  'checkin_meta',
  'checkin_queue',
  'checkins',
  'consents',
  'oqs_bindings',
  'oqs_files',
  'oqs_requests',
  'oqs_staff_items',
  'orca_outbox',
  'orca_patients',
  'patients',
  'security_device_tokens',
  'staff_accounts',
  'staff_alert_acks',
  'staff_audit',
  'staff_manual_entries',
];

const tablesOf = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);

let dir: string | undefined;
const tempFile = () => join((dir ??= mkdtempSync(join(tmpdir(), 'schema-'))), 'kiosk.sqlite');
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the one schema', () => {
  it('a new database gets every table and records the schema version', () => {
    const db = openDatabase(':memory:');
    expect(tablesOf(db)).toEqual(TABLES);
    expect(checkSchema(db)).toEqual({ state: 'current', version: SCHEMA_VERSION });
  });

  it('refuses a database written by a newer release, without touching it', () => {
    const path = tempFile();
    openDatabase(path).close();
    const newer = new Database(path);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();

    expect(() => openDatabase(path)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(path)).toThrow(/restore the backup made before the upgrade/);
    const after = new Database(path, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    after.close();
  });

  it('opening a current database writes nothing, so a full or read-only disk still reads', () => {
    const path = tempFile();
    openDatabase(path).close();
    const readOnly = new Database(path, { readonly: true });
    expect(() => applySchema(readOnly)).not.toThrow();
    readOnly.close();

    // An older database must be migrated, which a read-only connection cannot: it says so instead of reading a half schema.
    new Database(join(dir!, 'older.sqlite')).close();
    const readOnlyOlder = new Database(join(dir!, 'older.sqlite'), { readonly: true });
    expect(() => applySchema(readOnlyOlder)).toThrow(/readonly/);
    readOnlyOlder.close();
  });
});
