import express from 'express';
import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Server } from 'socket.io';
import type { ClientToServerEvents, RulesInfo, ServerToClientEvents } from '@kiosk/protocol';
import type { RulesTable } from './rules/table.ts';
import type { Clock } from './clock.ts';
import type { ReaderDriver, InsuranceNumberSource, ReceptionDesk, ReceptionSink } from './flow/ports.ts';
import type { CheckInFlow } from './flow/types.ts';
import type { Logger } from './logger.ts';
import { securityPolicy } from './security/index.ts';
import { attachStaff, type StaffConfig } from './staff/index.ts';
import type { Db } from './storage/db.ts';
import type { CheckInStore } from './flow/ports.ts';
import { createHttpApp } from './transport/http.ts';
import { attachKioskTransport } from './transport/kiosk-socket.ts';
import type { Router } from 'express';
import type { ReviewQueue } from './staff/reviews.ts';

export interface ServerDeps {
  host: string;
  tls?: { certPath: string; keyPath: string };
  publicNames?: string[];
  driver: ReaderDriver;
  flow: CheckInFlow;
  db: Db;
  /** The one check-in store (the flow's), which desk completions also write through. */
  store: CheckInStore;
  clock: Clock;
  logger: Logger;
  uiDir: string;
  agentVersion: string;
  insuranceNumbers?: InsuranceNumberSource;
  /** The terminal's review queue (oqs), shown on the staff board. */
  reviews?: ReviewQueue;
  routers?: Record<string, Router>;
  /** The demonstration: /healthz says so. */
  demo?: boolean;
  staff?: StaffConfig;
  /** The document rules in force, for manual entry; default the table as released. */
  rules?: RulesTable;
  /** Their edition and override, for /healthz and the staff board. */
  rulesInfo?: RulesInfo;
  /** The receipt computer (ORCA), for desk completions and the staff board. */
  reception?: { sink: ReceptionSink; desk: ReceptionDesk };
}

export interface ServerStack {
  http: HttpServer;
  io: Server;
  tls: boolean;
  detach(): void;
}

/**
 * The network face of the agent, in the order a request meets it: the security policy (bind, TLS,
 * Host/Origin), the HTTP app (health, UI, mock control), the kiosk namespace and the staff console.
 */
export function createServerStack(deps: ServerDeps): ServerStack {
  const policy = securityPolicy({
    host: deps.host,
    db: deps.db,
    logger: deps.logger,
    ...(deps.tls ? { tls: deps.tls } : {}),
    ...(deps.publicNames ? { publicNames: deps.publicNames } : {}),
  });
  const startup = policy.checkStartup();
  if (!startup.ok) throw new Error(startup.error.message);

  const app = createHttpApp({
    driver: deps.driver,
    uiDir: deps.uiDir,
    csp: policy.cspDirectives,
    demo: deps.demo ?? false,
    ...(deps.rulesInfo ? { rulesEdition: deps.rulesInfo.edition.checkedOn } : {}),
    ...(deps.routers ? { routers: deps.routers } : {}),
  });
  const root = express();
  root.disable('x-powered-by');
  root.use(policy.http);
  root.use(app);
  const tlsMaterial = startup.value.tls;
  const http = tlsMaterial ? createHttpsServer(tlsMaterial, root) : createServer(root);
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
  });
  io.engine.use(policy.socketRequest);
  io.of('/').use(policy.kioskSocket);
  const detachKiosk = attachKioskTransport(io.of('/'), { flow: deps.flow, driver: deps.driver, logger: deps.logger, agentVersion: deps.agentVersion });
  const detachStaff = attachStaff({
    app,
    io: io as unknown as Server,
    flow: deps.flow,
    driver: deps.driver,
    db: deps.db,
    store: deps.store,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.insuranceNumbers ? { insuranceNumbers: deps.insuranceNumbers } : {}),
    ...(deps.reviews ? { reviews: deps.reviews } : {}),
    ...(deps.rules ? { rules: deps.rules } : {}),
    ...(deps.rulesInfo ? { rulesInfo: deps.rulesInfo } : {}),
    ...(deps.reception ? { reception: deps.reception } : {}),
    config: { uiDir: deps.uiDir, secureCookies: policy.tls, ...deps.staff },
  });
  return {
    http,
    io: io as unknown as Server,
    tls: policy.tls,
    detach() {
      detachKiosk();
      detachStaff();
    },
  };
}
