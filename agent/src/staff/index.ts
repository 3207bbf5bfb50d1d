import type { Express } from 'express';
import type { Server } from 'socket.io';
import type { Clock } from '../clock.ts';
import type { CheckInStore, InsuranceNumberSource, ReaderDriver, ReceptionDesk, ReceptionSink } from '../flow/ports.ts';
import type { CheckInFlow } from '../flow/types.ts';
import type { Logger } from '../logger.ts';
import type { RulesInfo } from '@kiosk/protocol';
import type { RulesTable } from '../rules/table.ts';
import { createAuditTrail } from '../storage/audit.ts';
import { DEFAULT_RETENTION_DAYS, startRetentionTimer } from '../records/retention.ts';
import type { Db } from '../storage/db.ts';
import { createStaffAccounts } from './accounts.ts';
import { createStaffBoard } from './board.ts';
import { attachStaffNamespace, type StaffNamespace } from './namespace.ts';
import { createLoginLimiter, type LoginLimiterOptions } from './rate-limit.ts';
import { staffRouter } from './routes.ts';
import type { ReviewQueue } from './reviews.ts';
import { createStaffSessions, type SessionOptions } from './sessions.ts';

export interface StaffConfig {
  /** Built UI folder (kiosk-ui/dist) holding staff.html. */
  uiDir?: string;
  /** Mark the session cookie Secure: set when the agent serves TLS. */
  secureCookies?: boolean;
  /** Records older than this many days are purged daily. Default 90; 0 disables the timer. */
  retentionDays?: number;
  sessions?: SessionOptions;
  loginLimit?: LoginLimiterOptions;
}

export interface StaffDeps {
  app: Express;
  io: Server;
  flow: CheckInFlow;
  db: Db;
  store: CheckInStore;
  clock: Clock;
  logger: Logger;
  /** The reader driver: its events refresh the board when it has a review queue. */
  driver?: ReaderDriver;
  /** The terminal's walk-ins and ambiguous face results (oqs, pcsc+oqs). */
  reviews?: ReviewQueue;
  /** 一件照会 for manual entry; absent → the rules treat the online check as unavailable. */
  insuranceNumbers?: InsuranceNumberSource;
  config?: StaffConfig;
  /** The document rules in force, for manual entry. */
  rules?: RulesTable;
  /** The rules edition and override, on the board. */
  rulesInfo?: RulesInfo;
  /** The receipt computer (ORCA): desk completions are sent there too; the board shows each 受付. */
  reception?: { sink: ReceptionSink; desk: ReceptionDesk };
}

/**
 * The staff console: routes under /staff, the "/staff" socket namespace, the audit trail and the
 * daily retention purge. Returns a function that detaches it all (call before closing the database).
 */
export function attachStaff(deps: StaffDeps): () => void {
  const { app, io, flow, db, clock, logger } = deps;
  const config = deps.config ?? {};
  const accounts = createStaffAccounts(db);
  const audit = createAuditTrail(db);
  const sessions = createStaffSessions(clock, config.sessions);
  const { reviews } = deps;
  const desk = deps.reception?.desk;
  const board = createStaffBoard({
    flow,
    db,
    clock,
    ...(reviews ? { reviews } : {}),
    ...(deps.rulesInfo ? { rules: deps.rulesInfo } : {}),
    ...(desk ? { reception: desk } : {}),
  });
  const actionDeps = { flow, board, audit, clock, logger, ...(reviews ? { reviews } : {}), ...(desk ? { reception: desk } : {}) };
  // A new review item comes with a driver event (a face file read), not always with a flow change.
  const unsubscribeDriver = reviews && deps.driver ? deps.driver.subscribe(() => board.changed()) : () => {};

  app.use(
    '/staff',
    staffRouter({
      ...actionDeps,
      db,
      accounts,
      sessions,
      limiter: createLoginLimiter(clock, config.loginLimit),
      manual: {
        store: deps.store,
        reader: () => flow.snapshot().reader,
        ...(deps.rules ? { rules: deps.rules } : {}),
        ...(deps.insuranceNumbers ? { insuranceNumbers: deps.insuranceNumbers } : {}),
      },
      secureCookies: config.secureCookies ?? false,
      ...(config.uiDir ? { uiDir: config.uiDir } : {}),
    }),
  );
  // io is typed with the kiosk's event maps; "/staff" speaks the staff maps instead.
  const detachNamespace = attachStaffNamespace(io.of('/staff') as unknown as StaffNamespace, { ...actionDeps, sessions });
  const retentionDays = config.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const stopRetention = retentionDays > 0 ? startRetentionTimer({ db, clock, logger, days: retentionDays }) : () => {};
  if (accounts.count() === 0) logger.warn({ event: 'no-staff-accounts' }, 'no staff account: create one with "kiosk-agent staff add NAME"');

  return () => {
    stopRetention();
    unsubscribeDriver();
    detachNamespace();
    board.close();
  };
}
