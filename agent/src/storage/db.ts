import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { applySchema } from './schema.ts';

export type Db = Database.Database;

/**
 * Opens the agent's SQLite database in WAL mode with synchronous=FULL, so a row acknowledged to a
 * client survives kill -9 and power loss, and brings it to the current schema (storage/schema.ts, the
 * one place that defines tables). ":memory:" for tests.
 */
/** An INSERT's outcome: added, refused because its key is taken, or not written at all (disk full, read-only). */
export function insertRow(insert: () => unknown): 'added' | 'exists' | 'unavailable' {
  try {
    insert();
    return 'added';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' ? 'exists' : 'unavailable';
  }
}

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
    applySchema(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
