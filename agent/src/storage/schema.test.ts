import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckInStore } from './checkins.ts';
import { openDatabase } from './db.ts';
import { applySchema, checkSchema, SCHEMA_VERSION, SchemaTooNewError } from './schema.ts';
import { listDayCheckIns } from '../records/day.ts';

const LEGACY = readFileSync(new URL('./fixtures/legacy-before-schema-v1.sql', import.meta.url), 'utf8');

/** Every table an agent uses, whichever driver and features it runs with. */
const TABLES = [
  'checkin_meta',
  'checkin_queue',
  'checkins',
  'consents',
  'oqs_bindings',
  'oqs_files',
  'oqs_requests',
  'oqs_staff_items',
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

  it("upgrades a previous release's database (one table set per module) without losing a row", () => {
    const path = tempFile();
    const legacy = new Database(path);
    legacy.exec(LEGACY);
    legacy.close();

    const db = openDatabase(path);
    expect(tablesOf(db)).toEqual(TABLES); // the modules that had never run get their tables; the old bookkeeping is gone
    expect(checkSchema(db).state).toBe('current');
    expect(listDayCheckIns(db, '2026-12-01').map((c) => [c.sessionId, c.status, c.queueNumber])).toEqual([
      ['s-legacy-1', 'completed', 1],
      ['s-legacy-2', 'staff', null],
    ]);
    const store = createCheckInStore(db);
    // The installation salt survives, so returning patients and consents still match their keys.
    expect(store.subjectKey('certificate', '01')).toBe(createCheckInStore(db).subjectKey('certificate', '01'));
    expect((db.prepare("SELECT value FROM checkin_meta WHERE key = 'subject_salt'").get() as { value: string }).value).toMatch(/^5f1c0e9a/);
    // Numbers continue where the old release stopped.
    expect(store.registerPatient({ identityKey: 'other', at: new Date('2026-12-02T00:00:00Z') })).toEqual({ ok: true, value: { patientNumber: '000002' } });
    db.close();
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

    const legacy = new Database(join(dir!, 'legacy.sqlite'));
    legacy.exec(LEGACY);
    legacy.close();
    const readOnlyLegacy = new Database(join(dir!, 'legacy.sqlite'), { readonly: true });
    expect(() => applySchema(readOnlyLegacy)).toThrow(/readonly/);
    readOnlyLegacy.close();
  });
});
