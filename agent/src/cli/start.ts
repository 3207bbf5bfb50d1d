import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fail, ok, type Result } from '@kiosk/protocol';
import type { AgentOptions, RunningAgent } from '../app.ts';
import type { RulesInForce } from '../rules/table.ts';
import { DataFolderInUseError } from '../storage/data-folder.ts';
import { installCrashHandlers } from './crash.ts';
import { PRODUCTION_DRIVER_KINDS, type ProductionDriverKind } from '../drivers/registry.ts';
import { loadRulesFile } from './rules-file.ts';
import { orcaSettingsOf, START_ARGS, startConfigFrom, type StartConfig } from './start-config.ts';
import type { Subcommand } from './main.ts';

const HELP = `Usage: kiosk-agent start --driver NAME [options]

Starts the agent: the reader driver, the check-in flow, and the kiosk UI at http://HOST:PORT/.
The demonstration on the mock reader is "npm start" (kiosk-mock demo [options]).

Options:
  --config FILE          JSON settings, one key per option below without "--" (lists for the repeatable
                         ones, true/false for the switches; relative paths are relative to the file);
                         the command line overrides the environment, which overrides the file
  --driver NAME          required: pcsc (a card read proves identity; staff confirm insurance) | oqs (the
                         face-auth reader behind the 資格確認端末) | pcsc+oqs (both, in one agent)
  --port N               TCP port (default 8080, or $KIOSK_PORT)
  --host ADDR            interface to bind (default 127.0.0.1)
  --data-dir DIR         where the SQLite records live (default ./.data, or $KIOSK_DATA_DIR)
  --reader NAME          pcsc, pcsc+oqs: only use readers whose name contains NAME (repeatable)
  --reader-prefer NAME   pcsc, pcsc+oqs: readers whose name contains NAME come first, in the order
                         given (repeatable); the others stay usable
  --trust FILE           extra PEM trust anchor for authentication certificates (repeatable)
  --oqs-dir DIR          oqs, pcsc+oqs: the 資格確認端末 share holding face/, req/ and res/
  --oqs-face DIR, --oqs-req DIR, --oqs-res DIR   oqs, pcsc+oqs: the three folders, when not under one share
  --institution-code N   oqs, pcsc+oqs: the 10-digit 医療機関コード
  --oqs-encoding E       oqs, pcsc+oqs: auto (default) | utf-8 | shift_jis
  --oqs-archive-dir DIR  oqs, pcsc+oqs: move each processed face file here (default: the terminal's files
                         are never touched)
  --e-prescription       the clinic issues 電子処方箋: ask the patient for the prescription form
  --consent-diagnosis    offer the 診療情報 consent (clinic enabled it on the terminal)
  --consent-operation    offer the 手術情報 consent
  --tls-cert FILE, --tls-key FILE   serve HTTPS; required (with kiosk device tokens) to bind beyond loopback
  --public-name NAME     a name kiosks use to reach the agent, e.g. the certificate's DNS name (repeatable);
                         bound to 0.0.0.0 the PC's own addresses are accepted too
  --retention-days N     purge records older than N days, daily (default 90, or $KIOSK_RETENTION_DAYS; 0: never)
  --rules FILE           the clinic's rules file: JSON overriding any date or setting of the document
                         rules table, e.g. {"temporaryHandling":{"lastDay":"2026-09-30"}}; the start-up
                         log and the staff console say an override is active
  --rules-max-age-days N warn staff when the rules edition is older than N days (default 120)
  --log-level LEVEL      pino level (default info, or $LOG_LEVEL)
  --orca-url URL         send every completed check-in to ORCA (日レセ) as a 受付: http://HOST:8000 on
                         premises, https://HOST/api for WebORCA; without it nothing is sent
  --orca-user NAME, --orca-password-file FILE   the ORCA user, and a file holding its password (one line)
  --orca-department CODE ORCA's 診療科 for the 受付 (default 01)
  --orca-physician CODE  ORCA's ドクター (default: the only one ORCA has); "kiosk-agent orca check" lists them
  --orca-format F        xml2 (default) | json (ORCA 5.0 and later)
  -h, --help             this text`;

/** Driver kinds that read the 資格確認端末's folders. */
export const USES_OQS: ReadonlySet<ProductionDriverKind> = new Set(['oqs', 'pcsc+oqs']);

export const MOCK_DRIVER_MOVED = 'the mock reader is the demonstration, not a clinic driver: run "npm start" (or "kiosk-mock demo" with the same options)';

/** A composition that starts the agent with its own driver setup (the demonstration). */
export type StartComposition = (options: Omit<AgentOptions, 'driver' | 'driverSetup'>) => Promise<RunningAgent>;

/**
 * kiosk-agent start, and with `composition` the demonstration's "kiosk-mock demo": the same options, the
 * driver named by the clinic or given by the composition.
 */
export async function runStart(argv: string[], composition?: StartComposition): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: START_ARGS }));
  } catch (error) {
    console.error(`kiosk-agent: ${(error as Error).message} ("--help" lists the options)`);
    return 2;
  }
  if (values.help) {
    console.log(
      composition
        ? `${HELP.replace('kiosk-agent start --driver NAME', 'kiosk-mock demo')}\n\nThe demonstration always uses the mock reader: --driver is not taken.`
        : HELP,
    );
    return 0;
  }
  const settings = startConfigFrom(values);
  if (!settings.ok) {
    console.error(`kiosk-agent: ${settings.error.message}`);
    return 2;
  }
  const s = settings.value;
  if (composition && s.driver !== undefined) {
    console.error('kiosk-mock demo: the demonstration always uses the mock reader; a clinic runs "kiosk-agent start --driver NAME"');
    return 2;
  }
  const plan = planStart(s, composition !== undefined);
  if (!plan.ok) {
    console.error(`kiosk-agent: ${plan.error.message}`);
    return 2;
  }
  const { driver, rules, oqs, orca } = plan.value;
  const logger = (await import('../logger.ts')).createLogger({ level: s['log-level'] ?? 'info' });
  // From here an error nobody catches ends the process (logged, exit 1) so the service manager starts it afresh.
  const uninstallCrashHandlers = installCrashHandlers(logger);
  let stopping = false;
  let removeSignalHandlers = () => {};

  try {
    const options = {
      port: s.port,
      host: s.host,
      ...(s['data-dir'] ? { dataDir: s['data-dir'] } : {}),
      logger,
      ...(s['tls-cert'] && s['tls-key'] ? { tls: { certPath: s['tls-cert'], keyPath: s['tls-key'] } } : {}),
      ...(s['public-name'] ? { publicNames: s['public-name'] } : {}),
      ...(s['retention-days'] !== undefined ? { retentionDays: s['retention-days'] } : {}),
      rules,
      ...(s['rules-max-age-days'] !== undefined ? { rulesMaxAgeDays: s['rules-max-age-days'] } : {}),
      trustPems: (s.trust ?? []).map((file) => readFileSync(file, 'utf8')),
      pcsc: {
        ...(s.reader ? { readerAllow: s.reader } : {}),
        ...(s['reader-prefer'] ? { readerPrefer: s['reader-prefer'] } : {}),
      },
      ...(oqs ? { oqs } : {}),
      ...(orca ? { orca } : {}),
      clinic: {
        ePrescription: s['e-prescription'] ?? false,
        consentDiagnosis: s['consent-diagnosis'] ?? false,
        consentOperation: s['consent-operation'] ?? false,
      },
    };
    // The stop signals are taken before the agent starts: without a listener the signal's default action
    // ends the process at once, leaving the data folder's lock and the records' last writes to chance.
    const started: { agent?: RunningAgent } = {};
    const shutdown = () => {
      stopping = true;
      if (started.agent) void started.agent.close().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    removeSignalHandlers = () => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
    };
    const agent = composition ? await composition(options) : await (await import('../app.ts')).startAgent({ ...options, driver });
    started.agent = agent;
    if (stopping) {
      await agent.close();
      return 0;
    }
    console.log(`Kiosk agent listening on ${agent.url} (driver: ${agent.driver.kind}${composition ? ', demonstration' : ''})`);
    if (composition) console.log('Mock reader: "npm run mock -- --list" lists scenarios; "npm run mock -- pin-success" plays one.');
    return await new Promise<number>(() => {});
  } catch (error) {
    uninstallCrashHandlers();
    removeSignalHandlers();
    if (error instanceof DataFolderInUseError) {
      console.error(`kiosk-agent: ${error.message}`);
      return 2;
    }
    console.error(`kiosk-agent: could not start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export interface StartPlan {
  /** Absent only for the demonstration, whose composition brings the mock reader. */
  driver?: ProductionDriverKind;
  rules: RulesInForce;
  oqs?: AgentOptions['oqs'];
  orca?: AgentOptions['orca'];
}

/** What `start` checks in its settings before it starts anything (`doctor` reports the same verdict). */
export function planStart(s: StartConfig, demo = false): Result<StartPlan> {
  const driver = s.driver as ProductionDriverKind | undefined;
  if (!demo) {
    if (s.driver === 'mock') return fail('INPUT_INVALID', MOCK_DRIVER_MOVED);
    if (driver === undefined) {
      return fail('INPUT_INVALID', `name the driver with --driver (${PRODUCTION_DRIVER_KINDS.join(', ')}); the demonstration is "npm start"`);
    }
    if (!PRODUCTION_DRIVER_KINDS.includes(driver)) return fail('INPUT_INVALID', `unknown driver "${driver}" (choose ${PRODUCTION_DRIVER_KINDS.join(', ')})`);
  }
  if (Boolean(s['tls-cert']) !== Boolean(s['tls-key'])) return fail('INPUT_INVALID', '--tls-cert and --tls-key go together');
  const rules = loadRulesFile(s.rules);
  if (!rules.ok) return rules;
  const oqs = oqsOptionsOf(s);
  if (!oqs && driver && USES_OQS.has(driver)) {
    return fail('INPUT_INVALID', `--driver ${driver} needs --oqs-dir (or --oqs-face, --oqs-req and --oqs-res) and --institution-code`);
  }
  const orca = orcaSettingsOf(s);
  if (!orca.ok) return orca;
  return ok({ ...(driver ? { driver } : {}), rules: rules.value, ...(oqs ? { oqs } : {}), ...(orca.value ? { orca: orca.value } : {}) });
}

/** The 資格確認端末's folders and code when the settings name them all, else undefined. */
export function oqsOptionsOf(s: StartConfig): AgentOptions['oqs'] {
  const oqsDir = s['oqs-dir'];
  const faceDir = s['oqs-face'] ?? (oqsDir && join(oqsDir, 'face'));
  const reqDir = s['oqs-req'] ?? (oqsDir && join(oqsDir, 'req'));
  const resDir = s['oqs-res'] ?? (oqsDir && join(oqsDir, 'res'));
  const institutionCode = s['institution-code'];
  if (!faceDir || !reqDir || !resDir || !institutionCode) return undefined;
  const archiveDir = s['oqs-archive-dir'];
  return { faceDir, reqDir, resDir, institutionCode, encoding: s['oqs-encoding'] ?? 'auto', ...(archiveDir ? { archiveDir } : {}) };
}

const start: Subcommand = {
  summary: 'run the agent and serve the kiosk UI (--driver pcsc | oqs | pcsc+oqs)',
  run: (argv) => runStart(argv),
};

export default start;
