import type { AddressInfo } from 'node:net';
import { ok } from '@kiosk/protocol';
import { io as connect, type Socket } from 'socket.io-client';
import { fixedClock } from '@kiosk/agent/clock.ts';
import type { ReaderDriver, InsuranceNumberSource } from '@kiosk/agent/flow/ports.ts';
import type { Logger } from '@kiosk/agent/logger.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { createStaffAccounts } from '@kiosk/agent/staff/accounts.ts';
import type { StaffConfig } from '@kiosk/agent/staff/index.ts';
import type { ReviewQueue } from '@kiosk/agent/staff/reviews.ts';
import { createServerStack } from '@kiosk/agent/server.ts';
import { createFakeFlow, type FakeFlow } from '@kiosk/agent/staff/staff.test-support.ts';
import { createCheckInStore } from '@kiosk/agent/storage/checkins.ts';
import { openDatabase, type Db } from '@kiosk/agent/storage/db.ts';

/**
 * The staff console wired exactly as the agent wires it (securityPolicy first, attachStaff on the app
 * and io), around a scriptable flow so the tests choose what the kiosk is doing.
 */
export interface StaffHarness {
  url: string;
  flow: FakeFlow;
  db: Db;
  clock: ReturnType<typeof fixedClock>;
  close(): Promise<void>;
}

/** For expect.poll on boards: a board follows a coalesced recompute, slower than poll's default second on a loaded runner. */
export const BOARD_WAIT = { timeout: 10_000 };

/** The terminal's 一件照会 as the desk tests meet it: insured number 1234 is valid, anything else is not found. */
export const TERMINAL_1234: InsuranceNumberSource = {
  byInsuranceNumbers: async (query) =>
    ok({
      outcome: query.number === '1234' ? 'valid' : 'not-found',
      source: 'insurance-numbers',
      people:
        query.number === '1234' ? [{ name: 'X', birthDate: query.birthDate, insurerNumber: query.insurerNumber, number: query.number, copayPercent: 30 }] : [],
    }),
};

export const STAFF_USER = 'desk1';
export const STAFF_PASSWORD = 'correct horse battery';

export async function startStaffHarness(
  options: {
    insuranceNumbers?: InsuranceNumberSource;
    config?: StaffConfig;
    logger?: Logger;
    /** The terminal's review queue, as the oqs setup brings it. */
    reviewQueue?: ReviewQueue;
    /** A SQLite file instead of an in-memory database (records that must survive). */
    dbFile?: string;
  } = {},
): Promise<StaffHarness> {
  const clock = fixedClock('2025-10-01T10:00:00+09:00');
  const logger = options.logger ?? silentLogger;
  const db = openDatabase(options.dbFile ?? ':memory:');
  const store = createCheckInStore(db);
  await createStaffAccounts(db).add(STAFF_USER, STAFF_PASSWORD, clock.now());
  const flow = createFakeFlow();
  const driver: ReaderDriver = {
    kind: 'mock',
    capabilities: { cardIo: true, faceAuth: true },
    start: async () => {},
    stop: async () => {},
    status: () => flow.snapshot().reader,
    subscribe: () => () => {},
  };
  const { http, io, detach } = createServerStack({
    host: '127.0.0.1',
    driver,
    flow,
    db,
    store,
    clock,
    logger,
    uiDir: '/nonexistent',
    agentVersion: 'test',
    ...(options.insuranceNumbers ? { insuranceNumbers: options.insuranceNumbers } : {}),
    ...(options.reviewQueue ? { reviews: options.reviewQueue } : {}),
    staff: { retentionDays: 0, ...options.config },
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    flow,
    db,
    clock,
    async close() {
      detach();
      await new Promise<void>((r) => io.close(() => r()));
      db.close();
    },
  };
}

/** A signed-in console: cookie + CSRF token, JSON helpers, and its socket. */
export class StaffClient {
  constructor(
    readonly url: string,
    readonly cookie: string,
    readonly csrf: string,
  ) {}

  static async login(url: string, username = STAFF_USER, password = STAFF_PASSWORD): Promise<StaffClient> {
    const res = await fetch(`${url}/staff/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`login failed: ${res.status}`);
    const body = (await res.json()) as { data: { csrfToken: string } };
    return new StaffClient(url, (res.headers.get('set-cookie') ?? '').split(';')[0]!, body.data.csrfToken);
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.url}${path}`, { headers: { cookie: this.cookie } });
  }

  post(path: string, body: unknown, csrf: string | null = this.csrf): Promise<Response> {
    return fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      body: JSON.stringify(body),
    });
  }

  socket(csrf: string | null = this.csrf): Socket {
    return connect(`${this.url}/staff`, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { cookie: this.cookie },
      auth: csrf ? { csrfToken: csrf } : {},
    });
  }
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}
