import { parseArgs } from 'node:util';
import { isIsoDate } from '@kiosk/protocol';
import type { Subcommand } from './main.ts';
import { databasePath } from './staff.ts';

const HELP = `Usage: kiosk-agent records <command> [options]

Commands:
  purge                  delete records older than the retention period (the agent also does this daily)
  export                 print one day's check-ins for the receipt computer

Options:
  --data-dir DIR         where the SQLite records live (default ./.data, or $KIOSK_DATA_DIR)
  --days N               retention period in days (default 90, or $KIOSK_RETENTION_DAYS)
  --dry-run              purge: only print what would be deleted
  --day YYYY-MM-DD       export: the Japan day (default today)
  --format csv|json      export: default csv
  -h, --help             this text`;

const records: Subcommand = {
  summary: 'purge old records (retention) and export check-ins',
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          'data-dir': { type: 'string' },
          days: { type: 'string' },
          'dry-run': { type: 'boolean' },
          day: { type: 'string' },
          format: { type: 'string', default: 'csv' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (e) {
      console.error(`kiosk-agent records: ${(e as Error).message}\n\n${HELP}`);
      return 2;
    }
    const { values, positionals } = parsed;
    const command = positionals[0];
    if (values.help || (command !== 'purge' && command !== 'export')) {
      console.log(HELP);
      return values.help ? 0 : 2;
    }
    const { openDatabase } = await import('../storage/db.ts');
    const db = openDatabase(databasePath(values['data-dir']));
    try {
      if (command === 'purge') {
        const { DEFAULT_RETENTION_DAYS, purgeRecords } = await import('../records/retention.ts');
        const days = Number(values.days ?? process.env.KIOSK_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS);
        if (!Number.isInteger(days) || days < 1) {
          console.error('kiosk-agent records: --days must be a whole number of at least 1');
          return 2;
        }
        const dryRun = values['dry-run'] ?? false;
        const report = purgeRecords(db, { now: new Date(), days, dryRun });
        console.log(`${dryRun ? 'Would purge' : 'Purged'} records before ${report.cutoff} (${days} days):`);
        for (const [table, count] of Object.entries(report.tables)) console.log(`  ${table.padEnd(22)} ${count}`);
        if (!dryRun) {
          const { createAuditTrail } = await import('../storage/audit.ts');
          createAuditTrail(db).record({ at: new Date(), actor: 'cli', action: 'purge', outcome: 'ok' });
        }
        return 0;
      }
      const { japanDate } = await import('../clock.ts');
      const { listDayCheckIns } = await import('../storage/records.ts');
      const { toCsv, toExportRows } = await import('../records/export.ts');
      const day = values.day ?? japanDate(new Date());
      if (!isIsoDate(day)) {
        console.error('kiosk-agent records: --day must be a calendar date YYYY-MM-DD');
        return 2;
      }
      const rows = toExportRows(listDayCheckIns(db, day));
      process.stdout.write(values.format === 'json' ? `${JSON.stringify({ day, rows }, null, 2)}\n` : toCsv(rows));
      return 0;
    } finally {
      db.close();
    }
  },
};

export default records;
