import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Subcommand } from './main.ts';
import { DEFAULT_DATA_DIR } from '../paths.ts';
import { databaseFile } from '../storage/data-folder.ts';

const HELP = `Usage: kiosk-agent staff <command> [options]

Staff accounts for the console at http://HOST:PORT/staff, and kiosk device tokens.

Commands:
  add NAME               create an account; the password is asked twice on a terminal,
                         or read from the first line of stdin with --password-stdin
  list                   list accounts
  remove NAME            delete an account
  device add NAME        register a kiosk device; prints its token once
  device list            list registered devices
  device remove NAME     revoke a device

Options:
  --data-dir DIR         where the SQLite records live (default ./.data, or $KIOSK_DATA_DIR)
  --password-stdin       read the password from stdin (no prompt)
  -h, --help             this text`;

/** The agent's data folder, resolved the way "kiosk-agent start" resolves it. */
export function dataDirOf(dataDir: string | undefined): string {
  return dataDir ?? (process.env.KIOSK_DATA_DIR || DEFAULT_DATA_DIR);
}

/** The agent's database path, resolved the way "kiosk-agent start" resolves it. */
export function databasePath(dataDir: string | undefined): string {
  return databaseFile(dataDirOf(dataDir));
}

async function readLine(prompt: string | undefined, hidden: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: hidden });
  if (hidden) {
    // Echo nothing while the password is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (prompt && s.startsWith(prompt)) process.stdout.write(prompt);
    };
  }
  return new Promise((resolveLine) => {
    let done = false;
    rl.once('line', (line) => {
      done = true;
      rl.close();
      if (hidden) process.stdout.write('\n');
      resolveLine(line);
    });
    rl.once('close', () => {
      if (!done) resolveLine('');
    });
    if (prompt) {
      rl.setPrompt(prompt);
      rl.prompt();
    }
  });
}

async function askPassword(fromStdin: boolean): Promise<string | undefined> {
  if (fromStdin || !process.stdin.isTTY) return readLine(undefined, false);
  const first = await readLine('Password: ', true);
  const second = await readLine('Repeat password: ', true);
  return first === second ? first : undefined;
}

const staff: Subcommand = {
  summary: 'manage staff console accounts and kiosk device tokens',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, 'password-stdin': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    const [command, arg1, arg2] = positionals;
    if (values.help || !command) {
      console.log(HELP);
      return values.help ? 0 : 2;
    }
    const { openDatabase } = await import('../storage/db.ts');
    const db = openDatabase(databasePath(values['data-dir']));
    try {
      const { createStaffAccounts } = await import('../staff/accounts.ts');
      const { createAuditTrail } = await import('../storage/audit.ts');
      const { createDeviceTokens } = await import('../security/device-tokens.ts');
      const audit = createAuditTrail(db);
      const accounts = createStaffAccounts(db);
      const now = new Date();
      switch (command) {
        case 'add': {
          if (!arg1) return usageError('staff add needs a NAME');
          const password = await askPassword(values['password-stdin'] ?? false);
          if (password === undefined) return usageError('the passwords did not match');
          const added = await accounts.add(arg1, password, now);
          if (!added.ok) return usageError(added.error.message);
          audit.record({ at: now, actor: 'cli', action: 'account-added', subject: arg1, outcome: 'ok' });
          console.log(`Account "${arg1}" created.`);
          return 0;
        }
        case 'list':
          for (const a of accounts.list()) console.log(`${a.username}\t${a.createdAt}`);
          return 0;
        case 'remove': {
          if (!arg1) return usageError('staff remove needs a NAME');
          const removed = accounts.remove(arg1);
          if (!removed.ok || !removed.value) return usageError(`no account "${arg1}"`);
          audit.record({ at: now, actor: 'cli', action: 'account-removed', subject: arg1, outcome: 'ok' });
          console.log(`Account "${arg1}" removed.`);
          return 0;
        }
        case 'device': {
          const devices = createDeviceTokens(db);
          if (arg1 === 'list') {
            for (const d of devices.list()) console.log(`${d.name}\t${d.createdAt}`);
            return 0;
          }
          if (!arg2 || (arg1 !== 'add' && arg1 !== 'remove')) return usageError('staff device add|remove NAME, or staff device list');
          if (arg1 === 'add') {
            const token = devices.register(arg2, now);
            if (!token.ok && token.error.code === 'STORAGE_UNAVAILABLE') {
              console.error(`kiosk-agent staff: the device could not be saved: ${token.error.message}`);
              return 1;
            }
            if (!token.ok) return usageError(token.error.message);
            audit.record({ at: now, actor: 'cli', action: 'device-added', subject: arg2, outcome: 'ok' });
            console.log(`Device "${arg2}" registered. Its token (shown once; configure it on the kiosk):\n${token.value}`);
            return 0;
          }
          if (!devices.remove(arg2)) return usageError(`no device "${arg2}"`);
          audit.record({ at: now, actor: 'cli', action: 'device-removed', subject: arg2, outcome: 'ok' });
          console.log(`Device "${arg2}" revoked.`);
          return 0;
        }
        default:
          return usageError(`unknown staff command "${command}"`);
      }
    } finally {
      db.close();
    }
  },
};

function usageError(message: string): number {
  console.error(`kiosk-agent staff: ${message}`);
  return 2;
}

export default staff;
