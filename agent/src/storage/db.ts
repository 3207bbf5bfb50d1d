import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

/**
 * Opens the agent's SQLite database in WAL mode with synchronous=FULL, so a row acknowledged to a
 * client survives kill -9 and power loss. ":memory:" for tests.
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 2000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (module TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (module, version))');
  return db;
}

/**
 * Applies a module's migrations in order, once each. Each module owns its list (append only), so
 * modules never edit a shared file to add tables.
 */
export function migrate(db: Db, module: string, steps: readonly string[]): void {
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations WHERE module = ?').all(module) as { version: number }[]).map((r) => r.version));
  steps.forEach((sql, index) => {
    const version = index + 1;
    if (applied.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (module, version) VALUES (?, ?)').run(module, version);
    })();
  });
}

/**
 * The schema a database carries: each module's highest applied migration ({} for a database without the
 * migrations table). What restore and doctor compare with this build's; one function, so the schema's
 * bookkeeping can change in one place.
 */
export function schemaVersion(db: Db): Record<string, number> {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!table) return {};
  const rows = db.prepare('SELECT module, MAX(version) AS version FROM schema_migrations GROUP BY module ORDER BY module').all() as {
    module: string;
    version: number;
  }[];
  return Object.fromEntries(rows.map((r) => [r.module, r.version]));
}
