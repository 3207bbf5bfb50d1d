import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AgentOptions, RunningAgent } from '../app.ts';
import { PRODUCTION_DRIVER_KINDS, type ProductionDriverKind } from '../drivers/registry.ts';
import type { Subcommand } from './main.ts';
import { loadRulesFile } from './rules-file.ts';

const HELP = `Usage: kiosk-agent start --driver NAME [options]

Starts the agent: the reader driver, the check-in flow, and the kiosk UI at http://HOST:PORT/.
The demonstration on the mock reader is "npm start" (kiosk-mock demo [options]).

Options:
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
  --rules FILE           the clinic's rules file: JSON overriding any date or setting of the document
                         rules table, e.g. {"temporaryHandling":{"lastDay":"2026-09-30"}}; the start-up
                         log and the staff console say an override is active
  --rules-max-age-days N warn staff when the rules edition is older than N days (default 120)
  --retention-days N     purge records older than N days, daily (default 90, or $KIOSK_RETENTION_DAYS; 0: never)
  --log-level LEVEL      pino level (default info)
  -h, --help             this text`;

/** Driver kinds that read the 資格確認端末's folders. */
const USES_OQS: ReadonlySet<ProductionDriverKind> = new Set(['oqs', 'pcsc+oqs']);

export const MOCK_DRIVER_MOVED =
  'kiosk-agent: the mock reader is the demonstration, not a clinic driver: run "npm start" (or "kiosk-mock demo" with the same options)';

/** A composition that starts the agent with its own driver setup (the demonstration). */
export type StartComposition = (options: Omit<AgentOptions, 'driver' | 'driverSetup'>) => Promise<RunningAgent>;

/**
 * kiosk-agent start, and with `composition` the demonstration's "kiosk-mock demo": the same options, the
 * driver named by the clinic or given by the composition.
 */
export async function runStart(argv: string[], composition?: StartComposition): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      driver: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      reader: { type: 'string', multiple: true },
      'reader-prefer': { type: 'string', multiple: true },
      trust: { type: 'string', multiple: true },
      'oqs-dir': { type: 'string' },
      'oqs-face': { type: 'string' },
      'oqs-req': { type: 'string' },
      'oqs-res': { type: 'string' },
      'institution-code': { type: 'string' },
      'oqs-encoding': { type: 'string', default: 'auto' },
      'oqs-archive-dir': { type: 'string' },
      'e-prescription': { type: 'boolean' },
      'consent-diagnosis': { type: 'boolean' },
      'consent-operation': { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'public-name': { type: 'string', multiple: true },
      'retention-days': { type: 'string' },
      rules: { type: 'string' },
      'rules-max-age-days': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      composition
        ? `${HELP.replace('kiosk-agent start --driver NAME', 'kiosk-mock demo')}\n\nThe demonstration always uses the mock reader: --driver is not taken.`
        : HELP,
    );
    return 0;
  }
  if (composition && values.driver !== undefined) {
    console.error('kiosk-mock demo: the demonstration always uses the mock reader; a clinic runs "kiosk-agent start --driver NAME"');
    return 2;
  }
  if (!composition && values.driver === 'mock') {
    console.error(MOCK_DRIVER_MOVED);
    return 2;
  }
  const driver = values.driver as ProductionDriverKind | undefined;
  if (!composition && (driver === undefined || !PRODUCTION_DRIVER_KINDS.includes(driver))) {
    console.error(
      driver === undefined
        ? `kiosk-agent: name the driver with --driver (${PRODUCTION_DRIVER_KINDS.join(', ')}); the demonstration is "npm start"`
        : `kiosk-agent: unknown driver "${driver}" (choose ${PRODUCTION_DRIVER_KINDS.join(', ')})`,
    );
    return 2;
  }
  const port = Number(values.port ?? process.env.KIOSK_PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('kiosk-agent: --port must be a number from 0 to 65535');
    return 2;
  }
  const retention = values['retention-days'] ?? process.env.KIOSK_RETENTION_DAYS;
  const retentionDays = retention === undefined ? undefined : Number(retention);
  if (retentionDays !== undefined && (!Number.isInteger(retentionDays) || retentionDays < 0)) {
    console.error('kiosk-agent: --retention-days must be a whole number of days (0 turns the purge off)');
    return 2;
  }
  const rules = loadRulesFile(values.rules);
  if (!rules.ok) {
    console.error(`kiosk-agent: ${rules.error.message}`);
    return 2;
  }
  const rulesMaxAgeDays = values['rules-max-age-days'] === undefined ? undefined : Number(values['rules-max-age-days']);
  if (rulesMaxAgeDays !== undefined && (!Number.isInteger(rulesMaxAgeDays) || rulesMaxAgeDays < 1)) {
    console.error('kiosk-agent: --rules-max-age-days must be a whole number of days, 1 or more');
    return 2;
  }
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    console.error('kiosk-agent: --tls-cert and --tls-key go together');
    return 2;
  }
  const oqsDir = values['oqs-dir'];
  const faceDir = values['oqs-face'] ?? (oqsDir && join(oqsDir, 'face'));
  const reqDir = values['oqs-req'] ?? (oqsDir && join(oqsDir, 'req'));
  const resDir = values['oqs-res'] ?? (oqsDir && join(oqsDir, 'res'));
  const encoding = values['oqs-encoding'] as 'auto' | 'utf-8' | 'shift_jis';
  const archiveDir = values['oqs-archive-dir'];
  const oqs =
    faceDir && reqDir && resDir && values['institution-code']
      ? { faceDir, reqDir, resDir, institutionCode: values['institution-code'], encoding, ...(archiveDir ? { archiveDir } : {}) }
      : undefined;
  if (!oqs && driver && USES_OQS.has(driver)) {
    console.error(`kiosk-agent: --driver ${driver} needs --oqs-dir (or --oqs-face, --oqs-req and --oqs-res) and --institution-code`);
    return 2;
  }

  try {
    const options = {
      port,
      host: values.host,
      ...((values['data-dir'] ?? process.env.KIOSK_DATA_DIR) ? { dataDir: values['data-dir'] ?? process.env.KIOSK_DATA_DIR } : {}),
      ...(values['log-level'] ? { logger: (await import('../logger.ts')).createLogger({ level: values['log-level'] }) } : {}),
      ...(values['tls-cert'] && values['tls-key'] ? { tls: { certPath: values['tls-cert'], keyPath: values['tls-key'] } } : {}),
      ...(values['public-name'] ? { publicNames: values['public-name'] } : {}),
      ...(retentionDays !== undefined ? { retentionDays } : {}),
      rules: rules.value,
      ...(rulesMaxAgeDays !== undefined ? { rulesMaxAgeDays } : {}),
      trustPems: (values.trust ?? []).map((file) => readFileSync(file, 'utf8')),
      pcsc: {
        ...(values.reader ? { readerAllow: values.reader } : {}),
        ...(values['reader-prefer'] ? { readerPrefer: values['reader-prefer'] } : {}),
      },
      ...(oqs ? { oqs } : {}),
      clinic: {
        ePrescription: values['e-prescription'] ?? false,
        consentDiagnosis: values['consent-diagnosis'] ?? false,
        consentOperation: values['consent-operation'] ?? false,
      },
    };
    const agent = composition ? await composition(options) : await (await import('../app.ts')).startAgent({ ...options, driver });
    console.log(`Kiosk agent listening on ${agent.url} (driver: ${agent.driver.kind}${composition ? ', demonstration' : ''})`);
    if (composition) console.log('Mock reader: "npm run mock -- --list" lists scenarios; "npm run mock -- pin-success" plays one.');
    const shutdown = () => {
      void agent.close().then(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
    return await new Promise<number>(() => {});
  } catch (error) {
    console.error(`kiosk-agent: could not start: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

const start: Subcommand = {
  summary: 'run the agent and serve the kiosk UI (--driver pcsc | oqs | pcsc+oqs)',
  run: (argv) => runStart(argv),
};

export default start;
