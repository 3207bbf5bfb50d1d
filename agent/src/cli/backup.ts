import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Subcommand } from './main.ts';
import { dataDirOf } from './staff.ts';

const DEFAULT_KEEP_DAYS = 14;

const HELP = `Usage: kiosk-agent backup --out FILE|DIR [options]

Copies the agent's database with SQLite's online backup: a consistent copy while the agent runs and
writes. The copy is checked (integrity_check) before it replaces anything.

Options:
  --data-dir DIR   the agent's data folder (default ./.data, or $KIOSK_DATA_DIR)
  --out FILE|DIR   a file; or a folder (one that exists, or a path ending in "/") for daily copies
                   kiosk-YYYY-MM-DD.sqlite (Japan date; a second backup on a day replaces that day's)
  --keep-days N    with a folder: keep the daily copies of the last N days (today included), delete
                   older ones (default ${DEFAULT_KEEP_DAYS})
  -h, --help       this text

Run it as the data folder's owner, the agent's user (sudo -u myna-kiosk ...).

Exit codes: 0 backed up, 1 the backup failed, 2 usage (also run as another user than the folder's owner).`;

function usageError(message: string): number {
  console.error(`kiosk-agent backup: ${message} ("--help" lists the options)`);
  return 2;
}

const backup: Subcommand = {
  summary: 'copy the records while the agent runs (daily copies in a folder, the oldest rotated out)',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, 'keep-days': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      }));
    } catch (error) {
      return usageError((error as Error).message);
    }
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const out = values.out;
    if (!out) return usageError('name where the backup goes with --out FILE or --out DIR/');
    const keepDays = values['keep-days'] === undefined ? DEFAULT_KEEP_DAYS : Number(values['keep-days']);
    if (!Number.isInteger(keepDays) || keepDays < 1) return usageError('--keep-days must be a whole number of at least 1');
    const toFolder = out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory());
    if (values['keep-days'] !== undefined && !toFolder) return usageError('--keep-days rotates the daily copies in a folder: give --out DIR/');

    const { backupDatabase, dailyBackupName, rotateBackups } = await import('../storage/backup.ts');
    const { databaseFile, foreignUser, recordLastBackup } = await import('../storage/data-folder.ts');
    const { japanDate } = await import('../clock.ts');
    const dataDir = dataDirOf(values['data-dir']);
    const source = databaseFile(dataDir);
    if (!existsSync(source)) {
      console.error(`kiosk-agent backup: no database at ${source} (is --data-dir the agent's data folder?)`);
      return 1;
    }
    const foreign = foreignUser(dataDir);
    if (foreign) {
      console.error(`kiosk-agent backup: ${foreign}`);
      return 2;
    }
    const now = new Date();
    const today = japanDate(now);
    const target = resolve(toFolder ? join(out, dailyBackupName(today)) : out);
    try {
      if (toFolder) mkdirSync(out, { recursive: true, mode: 0o700 });
      const { bytes } = await backupDatabase(source, target);
      console.log(`Backed up ${source} to ${target} (${bytes} bytes).`);
    } catch (error) {
      console.error(`kiosk-agent backup: the backup to ${target} failed: ${(error as Error).message}`);
      return 1;
    }
    if (toFolder) {
      const removed = rotateBackups(out, keepDays, today);
      if (removed.length > 0)
        console.log(`Removed ${removed.length} daily ${removed.length === 1 ? 'copy' : 'copies'} older than ${keepDays} days: ${removed.join(', ')}`);
    }
    try {
      recordLastBackup(dataDir, { at: now.toISOString(), file: target });
    } catch (error) {
      // The backup itself is good; only doctor's "last backup" line will not know about it.
      console.error(`kiosk-agent backup: could not note the backup in ${dataDir} for "kiosk-agent doctor": ${(error as Error).message}`);
    }
    return 0;
  },
};

export default backup;
