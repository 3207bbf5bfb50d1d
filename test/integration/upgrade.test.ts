/**
 * Upgrades keep data: each kept fixture (test/integration/fixtures/release-*.sql, a database as a
 * release left it) is opened by the current agent, which migrates it to this release's schema at start,
 * and every row of every table is still there, readable through the agent's own stores and console.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startDemo } from '@kiosk/mocks/demo/index.ts';
import { fixedClock } from '@kiosk/agent/clock.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createAuditTrail } from '@kiosk/agent/storage/audit.ts';
import { listDayCheckIns } from '@kiosk/agent/storage/records.ts';
import { createDeviceTokens } from '@kiosk/agent/security/device-tokens.ts';
import type { Db } from '@kiosk/agent/storage/db.ts';
import { checkSchema, SCHEMA_VERSION } from '@kiosk/agent/storage/schema.ts';
import { agentDbFile, tempDir } from '../faults/support.ts';
import { StaffClient } from '../support/staff-harness.ts';
import { FIXTURE_DAY, FIXTURE_PASSWORD } from './fixtures/make-upgrade-fixture.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const RELEASES = readdirSync(FIXTURES).filter((f) => /^release-.+\.sql$/.test(f));

type Rows = Record<string, string[]>;

/** Every table's rows, each as JSON with its columns in name order. */
function rowsOf(db: Db): Rows {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]).map((row) =>
        JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b))),
      ),
    ]),
  );
}

/** Bookkeeping of the releases before the one schema (storage/schema.ts), not data: the upgrade drops it. */
const LEGACY_BOOKKEEPING = 'schema_migrations';

/** The rows of `before` missing from `after`: a table gone, or a row whose old columns no longer hold its values. */
function lostRows(before: Rows, after: Rows): string[] {
  const lost: string[] = [];
  for (const [table, rows] of Object.entries(before)) {
    if (table === LEGACY_BOOKKEEPING) continue;
    const now = (after[table] ?? []).map((json) => JSON.parse(json) as [string, unknown][]);
    for (const json of rows) {
      const old = JSON.parse(json) as [string, unknown][];
      const kept = now.some((row) => old.every(([column, value]) => row.some(([c, v]) => c === column && v === value)));
      if (!kept) lost.push(`${table}: ${json}`);
    }
  }
  return lost;
}

/** A data folder holding the fixture's database, as the release left it. */
function releaseFolder(fixture: string) {
  const data = tempDir('upgrade');
  const db = new Database(agentDbFile(data.path));
  db.exec(readFileSync(join(FIXTURES, fixture), 'utf8'));
  const before = rowsOf(db);
  db.close();
  return { data, before };
}

describe('the check for lost rows', () => {
  it('sees a deleted row and a changed value', () => {
    const before = { checkins: [JSON.stringify([['a', 1]]), JSON.stringify([['a', 2]])] };
    expect(
      lostRows(before, {
        checkins: [
          JSON.stringify([
            ['a', 1],
            ['b', 'new column'],
          ]),
        ],
      }),
    ).toEqual([`checkins: ${JSON.stringify([['a', 2]])}`]);
    expect(lostRows(before, {})).toHaveLength(2);
  });
});

describe.each(RELEASES)('upgrade from %s', (fixture) => {
  it('the current agent migrates it at start and keeps every check-in, consent, account, device, audit and terminal row', async () => {
    const { data, before } = releaseFolder(fixture);
    expect(Object.values(before).every((rows) => rows.length > 0)).toBe(true);
    const agent = await startDemo({ port: 0, dataDir: data.path, logger: silentLogger, clock: fixedClock(`${FIXTURE_DAY}T18:00:00+09:00`) });
    try {
      expect(checkSchema(agent.db)).toEqual({ state: 'current', version: SCHEMA_VERSION });
      expect(lostRows(before, rowsOf(agent.db))).toEqual([]);

      // Read back through the agent's own stores and console, as after an upgrade.
      expect(listDayCheckIns(agent.db, FIXTURE_DAY).map((c) => [c.sessionId, c.status, c.queueNumber])).toEqual([
        ['kiosk-card-1', 'completed', 1],
        ['reader-face-1', 'completed', 2],
        ['kiosk-staff-1', 'staff', null],
        ['kiosk-abandoned-1', 'abandoned', null],
        ['manual-1', 'completed', 3],
      ]);
      expect(
        createDeviceTokens(agent.db)
          .list()
          .map((d) => d.name),
      ).toEqual(['kiosk-1']);
      expect(
        createAuditTrail(agent.db)
          .list({ since: new Date(`${FIXTURE_DAY}T00:00:00+09:00`) })
          .map((a) => a.action),
      ).toEqual(expect.arrayContaining(['account-added', 'manual-entry']));
      const staff = await StaffClient.login(agent.url, 'desk1', FIXTURE_PASSWORD);
      expect((await staff.get('/staff/api/board')).status).toBe(200);
    } finally {
      await agent.close();
      data.remove();
    }
  });
});
