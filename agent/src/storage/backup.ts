/**
 * Backups of the agent's database with SQLite's online backup API: a copy consistent to one moment
 * while the agent keeps writing (WAL lets the agent write during the copy), and the checks a file must
 * pass before it replaces the records.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { DATABASE_FILE } from './data-folder.ts';
import { parseRows } from './rows.ts';
import { schemaVersion, SCHEMA_VERSION } from './schema.ts';

/** One backup per Japan day in a backup folder: kiosk-YYYY-MM-DD.sqlite. */
const DAILY = /^kiosk-(\d{4}-\d{2}-\d{2})\.sqlite$/;
export const dailyBackupName = (day: string): string => `kiosk-${day}.sqlite`;

/** Pages per backup step: all of them, so the copy is made in one read transaction and never restarts because the agent wrote meanwhile. */
const ALL_PAGES = 0x7fffffff;

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const IntegrityRow = z.object({ integrity_check: z.string() });

/** "ok", or SQLite's first complaint. Throws when the file is not a database at all. */
function integrity(db: Database.Database): string {
  const rows = db.pragma('integrity_check');
  return parseRows('PRAGMA integrity_check', IntegrityRow, Array.isArray(rows) ? rows : [rows])
    .map((r) => r.integrity_check)
    .join('; ');
}

/**
 * Copies the database `source` to `target` (a file path). The copy is written beside the target,
 * checked, made a single self-contained file (no -wal), synced, then renamed into place, so `target`
 * is either the previous file or a whole new backup.
 */
export async function backupDatabase(source: string, target: string): Promise<{ bytes: number }> {
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  try {
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
      const check = integrity(copy);
      if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${check}`);
    } finally {
      copy.close();
    }
    fsyncPath(partial);
    renameSync(partial, target);
    fsyncPath(dirname(target));
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { bytes: statSync(target).size };
}

/** The daily backups in `dir`, newest first. */
function listDailyBackups(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => DAILY.test(name))
    .sort()
    .reverse();
}

/** Deletes the daily backups in `dir` older than the last `keepDays` Japan days up to `today`; returns the names deleted. */
export function rotateBackups(dir: string, keepDays: number, today: string): string[] {
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - (keepDays - 1) * 86_400_000).toISOString().slice(0, 10);
  const old = listDailyBackups(dir).filter((name) => DAILY.exec(name)![1]! < first);
  for (const name of old) rmSync(join(dir, name));
  return old;
}

/** A database file judged against this build's schema (storage/schema.ts; a release before it counts as version 0). */
export type DatabaseCheck =
  | { ok: true; version: number; /** this build migrates it further at start */ behind: boolean }
  | { ok: false; problem: 'unreadable' | 'corrupt' | 'not-kiosk' | 'newer'; message: string };

/**
 * Is `file` a whole kiosk database this build can open: SQLite's integrity check passes, it carries the
 * agent's migrations (at least the check-in records), and no module is newer than this build knows
 * (a backup from a later release).
 */
export function checkKioskDatabase(file: string, known: number = SCHEMA_VERSION): DatabaseCheck {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { ok: false, problem: 'unreadable', message: `${file} cannot be opened: ${(error as Error).message}` };
  }
  try {
    const check = integrity(db);
    if (check !== 'ok') return { ok: false, problem: 'corrupt', message: `${file} is damaged: ${check}` };
    const version = schemaVersion(db);
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'checkins'").get()) {
      return { ok: false, problem: 'not-kiosk', message: `${file} is an SQLite database but not the kiosk agent's (no check-in records)` };
    }
    if (version > known) {
      return {
        ok: false,
        problem: 'newer',
        message: `${file} was written by a newer release (schema ${version}, this build: ${known}); install that release, or restore an older backup`,
      };
    }
    return { ok: true, version, behind: version < known };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === 'SQLITE_NOTADB') return { ok: false, problem: 'unreadable', message: `${file} is not an SQLite database` };
    return { ok: false, problem: 'corrupt', message: `${file} is damaged: ${message}` };
  } finally {
    db.close();
  }
}

/**
 * Puts the backup `file` in place of the data folder's database. The database it replaces (with its
 * -wal and -shm, which may hold its last writes) is moved to `replaced-STAMP/` in the data folder.
 * The caller holds the data folder's lock and has checked the file.
 */
export async function restoreDatabase(file: string, dataDir: string, now: Date): Promise<{ aside?: string }> {
  const live = join(dataDir, DATABASE_FILE);
  const incoming = join(dataDir, `${DATABASE_FILE}.restoring`);
  await backupDatabase(file, incoming);
  let aside: string | undefined;
  if (existsSync(live)) {
    aside = join(dataDir, `replaced-${now.toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(aside, { mode: 0o700 });
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(`${live}${suffix}`)) renameSync(`${live}${suffix}`, join(aside, `${DATABASE_FILE}${suffix}`));
    }
  }
  renameSync(incoming, live);
  fsyncPath(dataDir);
  return aside ? { aside } : {};
}
