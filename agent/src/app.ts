import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { japanDate, systemClock, type Clock } from './clock.ts';
import { DRIVER_FACTORIES, type DriverOptions, type DriverSetup, type ProductionDriverKind } from './drivers/registry.ts';
import { createLogger, type Logger } from './logger.ts';
import { createCheckInStore } from './storage/checkins.ts';
import { openDatabase, type Db } from './storage/db.ts';
import { acquireDataFolderLock, databaseFile, DataFolderInUseError, type DataFolderLock } from './storage/data-folder.ts';
import { DEFAULT_DATA_DIR, DEFAULT_UI_DIR } from './paths.ts';
import { createServerStack } from './server.ts';
import { buildFlow, type ClinicOptions } from './composition.ts';
import type { CheckInFlow } from './flow/types.ts';
import { DEFAULT_RULES_MAX_AGE_DAYS, rulesEditionStale, type RulesInfo } from '@kiosk/protocol';
import { DEFAULT_RULES, type RulesInForce } from './rules/table.ts';
import { createOrcaReception, DEFAULT_DEPARTMENT, type OrcaReception, type OrcaSettings } from './orca/index.ts';

export const AGENT_VERSION = '0.1.0';

export interface AgentOptions extends DriverOptions {
  /** Interface to bind; 127.0.0.1 unless configured otherwise. */
  host?: string;
  /** TCP port; 0 picks a free one (tests). */
  port?: number;
  /** The clinic's driver; required unless a ready `driverSetup` is given (the demo, tests). */
  driver?: ProductionDriverKind;
  /** Folder for the SQLite database; ":memory:" keeps nothing. */
  dataDir?: string;
  uiDir?: string;
  clinic?: ClinicOptions;
  /** Extra PEM trust anchors for the authentication certificate (tests add their test CA). */
  trustPems?: string[];
  clock?: Clock;
  logger?: Logger;
  /** A ready driver setup instead of one built by name (the demo composition, tests). */
  driverSetup?: DriverSetup;
  /** PEM files; required (with kiosk device tokens) to listen beyond loopback. */
  tls?: { certPath: string; keyPath: string };
  /** Names kiosks use to reach the agent beyond loopback (the TLS certificate's DNS name). */
  publicNames?: string[];
  /** Records older than this many days are purged daily (default 90; 0 turns the purge off). */
  retentionDays?: number;
  /** The document rules (default: the table as released) and, with a clinic's rules file, its override. */
  rules?: RulesInForce;
  /** Staff are warned when the rules edition is older than this (default DEFAULT_RULES_MAX_AGE_DAYS). */
  rulesMaxAgeDays?: number;
  /** The clinic's ORCA: every completed check-in is sent there as a 受付. Absent: nothing is sent. */
  orca?: OrcaSettings;
}

export interface RunningAgent {
  url: string;
  port: number;
  driver: DriverSetup['driver'];
  flow: CheckInFlow;
  db: Db;
  http: HttpServer;
  close(): Promise<void>;
}

/**
 * Builds and starts the agent: driver, flow, HTTP and socket.io. Every dependency can be injected so
 * tests start it on port 0 with fakes.
 */
export async function startAgent(options: AgentOptions = {}): Promise<RunningAgent> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger();
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const lock = dataDir === ':memory:' ? undefined : takeDataFolder(dataDir, clock);
  try {
    return await startOn(lock ? databaseFile(dataDir) : ':memory:', lock, { ...options, clock, logger });
  } catch (error) {
    // Not started: the folder is free for the next try (the CLI exits anyway, tests start again).
    lock?.release();
    throw error;
  }
}

async function startOn(dbFile: string, lock: DataFolderLock | undefined, options: AgentOptions & { clock: Clock; logger: Logger }): Promise<RunningAgent> {
  const { clock, logger } = options;
  const db = openDatabase(dbFile);
  const setup = await driverSetupFor(options, { clock, logger, db });
  const { driver } = setup;

  const rules = options.rules ?? { table: DEFAULT_RULES };
  const rulesInfo = rulesInfoOf(rules, options.rulesMaxAgeDays ?? DEFAULT_RULES_MAX_AGE_DAYS);
  logRules(logger, rules, rulesInfo, japanDate(clock.now()));
  const reception = receptionFor(options.orca, { db, clock, logger });
  const store = createCheckInStore(db, reception ? { reception: reception.sink } : {});
  const flow = buildFlow({ setup, store, clock, logger, clinic: options.clinic ?? {}, trustPems: options.trustPems ?? [], rules: rules.table });

  const host = options.host ?? '127.0.0.1';
  const uiDir = options.uiDir ?? DEFAULT_UI_DIR;
  const stack = createServerStack({
    host,
    driver,
    flow,
    db,
    store,
    clock,
    logger,
    uiDir,
    agentVersion: AGENT_VERSION,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.publicNames ? { publicNames: options.publicNames } : {}),
    ...(setup.eligibility?.insuranceNumbers ? { insuranceNumbers: setup.eligibility.insuranceNumbers } : {}),
    ...(setup.reviews ? { reviews: setup.reviews } : {}),
    ...(setup.routers ? { routers: setup.routers } : {}),
    ...(setup.demo ? { demo: true } : {}),
    ...(options.retentionDays !== undefined ? { staff: { retentionDays: options.retentionDays } } : {}),
    rules: rules.table,
    rulesInfo,
    ...(reception ? { reception } : {}),
  });
  const { http, io } = stack;

  await driver.start();
  flow.start();
  reception?.start();

  await new Promise<void>((resolveListen, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8080, host, () => resolveListen());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `${stack.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ event: 'listening', url, driver: driver.kind }, 'agent ready');

  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    driver,
    flow,
    db,
    http,
    close() {
      closed ??= (async () => {
        stack.detach();
        await reception?.stop();
        await flow.stop();
        await driver.stop();
        setup.close?.();
        await new Promise<void>((r) => io.close(() => r()));
        db.close();
        lock?.release();
      })();
      return closed;
    },
  };
}

/** One agent per data folder (storage/data-folder.ts): a second one is refused, naming the first's pid. */
function takeDataFolder(dataDir: string, clock: Clock): DataFolderLock {
  const taken = acquireDataFolderLock(dataDir, clock.now());
  if (!taken.ok) throw new DataFolderInUseError(dataDir, taken.heldBy);
  return taken.lock;
}

/** The ORCA reception when configured; the start-up log says where 受付 go, or that none are sent. */
function receptionFor(settings: OrcaSettings | undefined, deps: { db: Db; clock: Clock; logger: Logger }): OrcaReception | undefined {
  if (!settings) {
    deps.logger.info({ event: 'no-reception' }, 'no --orca-url: completed check-ins are not sent to a receipt computer');
    return undefined;
  }
  const { baseUrl, user } = settings.connection;
  const department = settings.department ?? DEFAULT_DEPARTMENT;
  const physician = settings.physician ?? 'the only one ORCA has';
  deps.logger.info(
    { event: 'orca-reception', url: baseUrl, user, department, physician },
    `completed check-ins are sent to ORCA at ${baseUrl} as 受付 (診療科 ${department}, ドクター ${physician})`,
  );
  return createOrcaReception(settings, deps);
}

function rulesInfoOf(rules: RulesInForce, maxAgeDays: number): RulesInfo {
  return { edition: rules.table.edition, maxAgeDays, ...(rules.override ? { override: { fields: rules.override.fields } } : {}) };
}

/** The start-up log names the rules edition, says when a clinic's override is active, and warns when the edition is old. */
function logRules(logger: Logger, rules: RulesInForce, info: RulesInfo, today: string): void {
  const { checkedOn } = rules.table.edition;
  logger.info({ event: 'rules-edition', checkedOn }, `document rules edition checked ${checkedOn}`);
  if (rules.override) {
    const { file, fields } = rules.override;
    logger.warn({ event: 'rules-override', file, fields }, `clinic rules override active (${file}): ${fields.join(', ')}`);
  }
  if (rulesEditionStale(info, today)) {
    logger.warn(
      { event: 'rules-edition-stale', checkedOn, maxAgeDays: info.maxAgeDays },
      `the document rules edition is older than ${info.maxAgeDays} days: check for newer notices`,
    );
  }
}

async function driverSetupFor(options: AgentOptions, deps: { clock: Clock; logger: Logger; db: Db }): Promise<DriverSetup> {
  if (options.driverSetup) return options.driverSetup;
  if (!options.driver) {
    deps.db.close();
    throw new Error('no driver named: a clinic names its driver (pcsc, oqs or pcsc+oqs); the demonstration runs with "kiosk-mock demo"');
  }
  try {
    return await DRIVER_FACTORIES[options.driver](options, deps);
  } catch (error) {
    deps.db.close();
    throw error;
  }
}
