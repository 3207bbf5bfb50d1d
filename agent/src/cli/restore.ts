import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Subcommand } from './main.ts';
import { dataDirOf } from './staff.ts';

const HELP = `Usage: kiosk-agent restore --from FILE [--data-dir DIR]

Puts a backup (kiosk-agent backup) in place of the agent's database. Refused while an agent uses the
data folder: stop it first (systemctl stop myna-kiosk-agent). The file must pass SQLite's integrity
check and be a kiosk database no newer than this release. The database it replaces is kept in
DIR/replaced-TIME/. Run it as the data folder's owner, the agent's user (sudo -u myna-kiosk ...).

Options:
  --from FILE      the backup to restore
  --data-dir DIR   the agent's data folder (default ./.data, or $KIOSK_DATA_DIR)
  -h, --help       this text

Exit codes: 0 restored, 1 the file was refused or the restore failed, 2 usage (also run as another user
than the folder's owner) or an agent uses the folder.`;

function usageError(message: string): number {
  console.error(`kiosk-agent restore: ${message} ("--help" lists the options)`);
  return 2;
}

const restore: Subcommand = {
  summary: 'replace the records with a backup (the agent stopped; the replaced database is kept aside)',
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, from: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
    } catch (error) {
      return usageError((error as Error).message);
    }
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (!values.from) return usageError('name the backup with --from FILE');
    const file = values.from;
    if (!existsSync(file)) {
      console.error(`kiosk-agent restore: no file ${file}`);
      return 1;
    }
    const { acquireDataFolderLock, databaseFile, foreignUser, inUseMessage } = await import('../storage/data-folder.ts');
    const { checkKioskDatabase, restoreDatabase } = await import('../storage/backup.ts');
    const dataDir = dataDirOf(values['data-dir']);
    if (!existsSync(dataDir)) {
      console.error(`kiosk-agent restore: no data folder ${dataDir}: start the agent once (its unit creates it), or create it for the agent's user`);
      return 1;
    }
    const foreign = foreignUser(dataDir);
    if (foreign) {
      console.error(`kiosk-agent restore: ${foreign}`);
      return 2;
    }

    // Held for the whole restore, so no agent starts on a half-replaced folder.
    const taken = acquireDataFolderLock(dataDir);
    if (!taken.ok) {
      console.error(`kiosk-agent restore: refused: ${inUseMessage(dataDir, taken.heldBy)}`);
      return 2;
    }
    try {
      const check = checkKioskDatabase(file);
      if (!check.ok) {
        console.error(`kiosk-agent restore: refused: ${check.message}`);
        return 1;
      }
      const now = new Date();
      const { aside } = await restoreDatabase(file, dataDir, now);
      const live = databaseFile(dataDir);
      console.log(`Restored ${file} to ${live}.`);
      if (aside) console.log(`The database it replaced is kept in ${aside}.`);
      if (check.behind) console.log(`It was written by an earlier release (schema ${check.version}): the agent migrates it when it starts.`);
      return 0;
    } catch (error) {
      console.error(`kiosk-agent restore: failed: ${(error as Error).message}`);
      return 1;
    } finally {
      taken.lock.release();
    }
  },
};

export default restore;
