import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { KEPT_REGISTERS, RETAINED } from './retention.ts';

/** A column that dates its row: at, day, *_at, *_day, *_date. */
const DATED = /^(at|day)$|_(at|day|date)$/;

function schemaColumns(): Map<string, string[]> {
  const db = openDatabase(':memory:');
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  return new Map(tables.map(({ name }) => [name, (db.pragma(`table_info(${name})`) as { name: string }[]).map((c) => c.name)]));
}

describe('retention covers the schema', () => {
  const columns = schemaColumns();

  it('every table with a dated column is either purged or listed as a register that is kept', () => {
    const covered = new Set([...RETAINED.map((r) => r.table), ...KEPT_REGISTERS.map((r) => r.table)]);
    const dated = [...columns].filter(([, names]) => names.some((name) => DATED.test(name))).map(([table]) => table);
    expect(dated.length).toBeGreaterThan(10);
    expect(dated.filter((table) => !covered.has(table))).toEqual([]);
  });

  it('each purged table is dated by a column it has, and no table is both purged and kept', () => {
    for (const { table, column } of RETAINED) expect(columns.get(table), table).toContain(column);
    for (const { table } of KEPT_REGISTERS) expect(columns.has(table), table).toBe(true);
    const kept = new Set(KEPT_REGISTERS.map((r) => r.table));
    expect(RETAINED.filter((r) => kept.has(r.table))).toEqual([]);
    expect(new Set(RETAINED.map((r) => r.table)).size).toBe(RETAINED.length);
  });
});
