import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { japanDate } from '../clock.ts';
import { createCheckInStore } from '../storage/checkins.ts';
import { LOCK_FILE, readLastBackup } from '../storage/data-folder.ts';
import { openDatabase } from '../storage/db.ts';
import { SCHEMA_VERSION } from '../storage/schema.ts';
import backup from './backup.ts';
import restore from './restore.ts';
import { runCommand } from './cli.test-support.ts';

let root: string;
let data: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kiosk-backup-'));
  data = join(root, 'data');
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

const live = () => join(data, 'kiosk.sqlite');

/** A kiosk database with the given completed check-ins, made by the agent's own stores. */
function seed(sessions: string[]): void {
  const db = openDatabase(live());
  const store = createCheckInStore(db);
  for (const sessionId of sessions) {
    const at = new Date();
    store.beginCheckIn({ sessionId, startedAt: at, origin: 'card' });
    expect(store.completeCheckIn(sessionId, { at, newPatient: false }).ok).toBe(true);
  }
  db.close();
}

const sessionsIn = (file: string): string[] => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT session_id FROM checkins ORDER BY session_id').all() as { session_id: string }[]).map((r) => r.session_id);
  } finally {
    db.close();
  }
};

describe('kiosk-agent backup', () => {
  it('to a file: a copy with every record, and the note doctor reads', async () => {
    seed(['a', 'b']);
    const to = join(root, 'copy.sqlite');
    const r = await runCommand(backup, ['--data-dir', data, '--out', to]);
    expect(r).toMatchObject({ code: 0, out: expect.stringMatching(/^Backed up .*kiosk\.sqlite to .*copy\.sqlite \(\d+ bytes\)\.$/) });
    expect(sessionsIn(to)).toEqual(['a', 'b']);
    expect(readLastBackup(data)).toMatchObject({ file: to });
    // A single file: no -wal beside it holding part of the records.
    expect(readdirSync(root).filter((f) => f.startsWith('copy'))).toEqual(['copy.sqlite']);
  });

  it('while another process writes: a copy consistent to one moment, made while the writes go on', async () => {
    seed([]);
    // Enough pages that the copy takes a while; every transaction adds a row and sets the count in one go.
    const db = openDatabase(live());
    const fill = db.prepare('INSERT INTO checkin_meta (key, value) VALUES (?, hex(randomblob(2000)))');
    db.transaction(() => {
      for (let i = 0; i < 5000; i++) fill.run(`fill-${i}`);
    })();
    db.close();
    const writerScript = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(live())});
      db.pragma('busy_timeout = 5000');
      const row = db.prepare("INSERT INTO checkin_meta (key, value) VALUES (?, 'x')");
      const count = db.prepare("INSERT INTO checkin_meta (key, value) VALUES ('writes', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
      let n = 0;
      const write = db.transaction(() => { n++; row.run('write-' + n); count.run(String(n)); });
      const tick = () => { write(); process.stdout.write(n + '\\n'); setImmediate(tick); };
      tick();`;
    const writer = spawn(process.execPath, ['-e', writerScript], { cwd: new URL('../../', import.meta.url).pathname, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(writer);
    let written = 0;
    const lines = createInterface({ input: writer.stdout! });
    lines.on('line', (line) => (written = Number(line)));
    await vi.waitFor(() => expect(written).toBeGreaterThan(50), { timeout: 20_000 });

    const writes = (file: string) => {
      const db = new Database(file, { readonly: true });
      try {
        return Number((db.prepare("SELECT value FROM checkin_meta WHERE key = 'writes'").get() as { value: string }).value);
      } finally {
        db.close();
      }
    };
    const before = writes(live());
    const to = join(root, 'during.sqlite');
    const r = await runCommand(backup, ['--data-dir', data, '--out', to]);
    const after = writes(live());
    writer.kill('SIGKILL');
    lines.close();

    expect(r.code).toBe(0);
    expect(after).toBeGreaterThan(before);
    const copy = new Database(to, { readonly: true });
    const rows = (copy.prepare("SELECT COUNT(*) AS n FROM checkin_meta WHERE key LIKE 'write-%'").get() as { n: number }).n;
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    const counted = writes(to);
    expect(rows).toBe(counted);
    expect(rows).toBeGreaterThanOrEqual(before);
    expect(rows).toBeLessThanOrEqual(after);
  });

  it('to a folder: one copy per Japan day, those of the last --keep-days days kept', async () => {
    seed(['a']);
    const folder = join(root, 'backups');
    mkdirSync(folder);
    const daysAgo = (n: number) => new Date(Date.parse(`${japanDate(new Date())}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    for (const n of [1, 2, 3, 9]) writeFileSync(join(folder, `kiosk-${daysAgo(n)}.sqlite`), '');
    writeFileSync(join(folder, 'notes.txt'), 'not a backup: left alone');
    const r = await runCommand(backup, ['--data-dir', data, '--out', folder, '--keep-days', '3']);
    expect(r.code).toBe(0);
    const today = `kiosk-${japanDate(new Date())}.sqlite`;
    // Today and the two days before it; a missed day does not stretch what is kept.
    expect(readdirSync(folder).sort()).toEqual([today, `kiosk-${daysAgo(1)}.sqlite`, `kiosk-${daysAgo(2)}.sqlite`, 'notes.txt'].sort());
    expect(r.out).toContain(`Removed 2 daily copies older than 3 days: kiosk-${daysAgo(3)}.sqlite, kiosk-${daysAgo(9)}.sqlite`);
    expect(sessionsIn(join(folder, today))).toEqual(['a']);
  });

  it('a folder path ending in "/" is created', async () => {
    seed(['a']);
    const r = await runCommand(backup, ['--data-dir', data, '--out', `${join(root, 'new', 'folder')}/`]);
    expect(r.code).toBe(0);
    expect(readdirSync(join(root, 'new', 'folder'))).toEqual([`kiosk-${japanDate(new Date())}.sqlite`]);
  });

  it.each([
    [[], 'name where the backup goes with --out'],
    [['--out', 'x.sqlite', '--keep-days', '3'], '--keep-days rotates the daily copies in a folder'],
    [['--out', '/tmp/', '--keep-days', '0'], '--keep-days must be a whole number of at least 1'],
    [['--out', 'x.sqlite', '--to', 'y'], "Unknown option '--to'"],
  ])('usage %j: exit 2', async (argv, message) => {
    const r = await runCommand(backup, ['--data-dir', data, ...argv]);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining(message) });
  });

  // Root can give the folder away; SQLite would leave root's -wal/-shm files the agent cannot write.
  it.runIf(process.getuid?.() === 0)('run as another user than the data folder’s owner: exit 2, nothing opened', async () => {
    seed(['a']);
    rmSync(`${live()}-wal`, { force: true });
    rmSync(`${live()}-shm`, { force: true });
    chownSync(data, 4242, 4242);
    const r = await runCommand(backup, ['--data-dir', data, '--out', join(root, 'x.sqlite')]);
    expect(r).toMatchObject({ code: 2, err: expect.stringContaining("run it as the folder's owner (sudo -u myna-kiosk") });
    expect(await runCommand(restore, ['--data-dir', data, '--from', live()])).toMatchObject({ code: 2 });
    expect(readdirSync(data)).toEqual(['kiosk.sqlite']);
  });

  it('no database in the data folder: exit 1 saying where it looked', async () => {
    const r = await runCommand(backup, ['--data-dir', data, '--out', join(root, 'x.sqlite')]);
    expect(r).toMatchObject({ code: 1, err: expect.stringContaining(`no database at ${live()}`) });
  });
});

describe('kiosk-agent restore', () => {
  const backupTo = async (to: string) => expect((await runCommand(backup, ['--data-dir', data, '--out', to])).code).toBe(0);

  it('round trip: the backed-up records come back; the database they replace is kept aside, whole', async () => {
    seed(['a', 'b']);
    const file = join(root, 'b.sqlite');
    await backupTo(file);
    seed(['c']);
    expect(sessionsIn(live())).toEqual(['a', 'b', 'c']);

    const r = await runCommand(restore, ['--from', file, '--data-dir', data]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Restored ${file} to ${live()}.`);
    expect(sessionsIn(live())).toEqual(['a', 'b']);
    const aside = readdirSync(data).filter((f) => f.startsWith('replaced-'));
    expect(aside).toHaveLength(1);
    expect(sessionsIn(join(data, aside[0]!, 'kiosk.sqlite'))).toEqual(['a', 'b', 'c']);
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
    // The agent's stores open the restored database as usual.
    const db = openDatabase(live());
    db.close();
  });

  it('refused while an agent holds the data folder: exit 2 naming its pid, nothing replaced', async () => {
    seed(['a']);
    const file = join(root, 'b.sqlite');
    await backupTo(file);
    seed(['b']);
    const agent = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    children.push(agent);
    writeFileSync(join(data, LOCK_FILE), JSON.stringify({ pid: agent.pid, since: new Date().toISOString() }));

    const r = await runCommand(restore, ['--from', file, '--data-dir', data]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`in use by the process with pid ${agent.pid}`);
    expect(r.err).toContain('systemctl stop myna-kiosk-agent');
    expect(sessionsIn(live())).toEqual(['a', 'b']);
    expect(JSON.parse(readFileSync(join(data, LOCK_FILE), 'utf8'))).toMatchObject({ pid: agent.pid });
  });

  const refusals: [string, (file: string) => void, string][] = [
    ['not a database', (file) => writeFileSync(file, 'this is a text file, not SQLite '.repeat(200)), 'is not an SQLite database'],
    [
      'damaged pages',
      (file) => {
        const bytes = readFileSync(file);
        // Past the header and the schema page: the records' pages.
        bytes.fill(0x55, 4096 * 3, 4096 * 3 + 2000);
        writeFileSync(file, bytes);
      },
      'is damaged',
    ],
    [
      "another program's database",
      (file) => {
        rmSync(file);
        const db = new Database(file);
        db.exec('CREATE TABLE notes (text TEXT)');
        db.close();
      },
      "not the kiosk agent's",
    ],
    [
      'a newer release',
      (file) => {
        const db = new Database(file);
        db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
        db.close();
      },
      `written by a newer release (schema ${SCHEMA_VERSION + 1}, this build: ${SCHEMA_VERSION})`,
    ],
  ];

  it.each(refusals)('refuses a file that is %s: exit 1, the live database untouched, no lock left', async (_what, spoil, message) => {
    seed(['a', ...Array.from({ length: 300 }, (_, i) => `filler-${i}`)]);
    const file = join(root, 'bad.sqlite');
    await backupTo(file);
    spoil(file);
    seed(['after']);
    const r = await runCommand(restore, ['--from', file, '--data-dir', data]);
    expect(r).toMatchObject({ code: 1, err: expect.stringContaining(message) });
    expect(r.err).toMatch(/^kiosk-agent restore: refused: /);
    expect(sessionsIn(live())).toContain('after');
    expect(readdirSync(data).filter((f) => f.startsWith('replaced-') || f.endsWith('.restoring'))).toEqual([]);
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
  });

  it('usage: --from is needed (exit 2); a missing file is exit 1', async () => {
    expect(await runCommand(restore, ['--data-dir', data])).toMatchObject({ code: 2, err: expect.stringContaining('--from FILE') });
    expect(await runCommand(restore, ['--data-dir', data, '--from', join(root, 'none.sqlite')])).toMatchObject({
      code: 1,
      err: expect.stringContaining('no file'),
    });
  });
});
