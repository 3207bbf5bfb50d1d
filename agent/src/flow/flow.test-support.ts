/** Fakes for the flow's tests (drivers, card, certificate check): no hardware, no timers, fixed clock. */
import {
  fail,
  ok,
  type CardKind,
  type CertificateStatus,
  type DocumentDecision,
  type DriverStatus,
  type FlowEvent,
  type FlowSnapshot,
  type Result,
} from '@kiosk/protocol';
import { createMockQualificationService } from '@kiosk/mocks/driver/qualification.ts';
import {
  DriverEvents,
  type CardChannel,
  type CertificateRegistration,
  type CheckInStore,
  type InsuredPerson,
  type ReaderDriver,
  type ReaderResult,
} from './ports.ts';
import type { CertificateCheck, JpkiCard } from '../card/types.ts';
import { openDatabase } from '../storage/db.ts';
import { createCheckInStore } from '../storage/checkins.ts';
import { fixedClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { defaultFlowConfig, type FlowConfig } from './config.ts';
import type { FlowDeps } from './deps.ts';
import { createCheckInFlow } from './check-in-flow.ts';

export const CORRECT_PIN = '4321';
export const READER = 'Fake Reader 00';

export interface FakeCardOptions {
  kind?: CardKind;
  /** undefined: 顔認証マイナンバーカード (no PIN). */
  triesLeft?: number | undefined;
  serialHex?: string;
  status?: CertificateStatus;
  chain?: 'trusted' | 'untrusted';
  identifyError?: Parameters<typeof fail>[0];
  /** Refuses EF 000A (6982) until the PIN is verified, as the Android GPSE token does. */
  certAfterPin?: boolean;
}

export function fakeCard(options: FakeCardOptions = {}): JpkiCard & { triesLeft: number | undefined; verifyCalls: number; certReads: number } {
  const hasPinOption = 'triesLeft' in options;
  let verified = false;
  const card = {
    triesLeft: hasPinOption ? options.triesLeft : 3,
    verifyCalls: 0,
    certReads: 0,
    apduCount: 0,
    async identify() {
      card.apduCount++;
      return options.identifyError ? fail(options.identifyError) : ok({ kind: options.kind ?? 'my-number-card', tokenLabel: 'JPKIAPICCTOKEN2' });
    },
    async readAuthCertificate(): Promise<Result<Uint8Array>> {
      if (options.certAfterPin && !verified) return fail('CARD_SECURITY_STATUS', undefined, { sw: '6982' });
      card.certReads++;
      return ok(Uint8Array.from([0x30, 0x01, 0x02]));
    },
    async readAuthCaCertificate() {
      return ok(Uint8Array.from([0x30, 0x03]));
    },
    async pinTriesLeft(): Promise<Result<number>> {
      if (card.triesLeft === undefined) return fail('PIN_NOT_AVAILABLE');
      return card.triesLeft === 0 ? fail('PIN_BLOCKED') : ok(card.triesLeft);
    },
    async verifyPin(pin: string): Promise<Result<void>> {
      card.verifyCalls++;
      if (card.triesLeft === undefined) return fail('PIN_NOT_AVAILABLE');
      if (card.triesLeft === 0) return fail('PIN_BLOCKED');
      if (pin === CORRECT_PIN) {
        card.triesLeft = 3;
        verified = true;
        return ok(undefined);
      }
      card.triesLeft--;
      return card.triesLeft === 0 ? fail('PIN_BLOCKED') : fail('PIN_INCORRECT', undefined, { triesLeft: card.triesLeft });
    },
    async signDigestInfo() {
      return ok(new Uint8Array(256));
    },
  };
  return card;
}

export function certificateFor(options: FakeCardOptions, now: Date): CertificateCheck {
  return {
    serialHex: options.serialHex ?? '0a1b2c',
    subject: 'CN=test',
    issuer: 'CN=JPKI test CA',
    notBefore: new Date(now.getTime() - 365 * 86400_000),
    notAfter: new Date(now.getTime() + 365 * 86400_000),
    chain: options.chain ?? 'trusted',
    status: options.status ?? 'valid',
    keyUsageOk: true,
  };
}

const okStatus = (driver: DriverStatus['driver']): DriverStatus => ({ driver, service: 'ok', readers: [{ name: READER, driver, state: 'empty' }] });

export class FakeDriver implements ReaderDriver {
  readonly events = new DriverEvents();
  current: DriverStatus;
  faceResults: Result<ReaderResult>[] = [];
  faceWaits = 0;
  /** true: a face wait with no queued result stays open until the flow aborts it (the patient still at the reader). */
  holdFace = false;
  card: JpkiCard | undefined;
  closed = 0;
  constructor(
    readonly kind: DriverStatus['driver'],
    readonly capabilities: { cardIo: boolean; faceAuth: boolean },
  ) {
    this.current = okStatus(kind);
  }
  async start() {}
  async stop() {}
  status() {
    return this.current;
  }
  subscribe(listener: Parameters<ReaderDriver['subscribe']>[0]) {
    return this.events.subscribe(listener);
  }
  openCard = async (reader: string): Promise<Result<CardChannel>> => {
    if (!this.card) return fail('CARD_NOT_PRESENT');
    return ok({ reader, atr: '3B', transmit: async () => fail('INTERNAL'), close: async () => void this.closed++ });
  };
  awaitFaceResult = async (_request: unknown, signal: AbortSignal): Promise<Result<ReaderResult>> => {
    this.faceWaits++;
    const queued = this.faceResults.shift();
    if (queued || !this.holdFace) return queued ?? fail('ELIGIBILITY_TIMEOUT');
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(fail('ELIGIBILITY_TIMEOUT')), { once: true }));
  };
  insert(card: JpkiCard) {
    this.card = card;
    this.events.emit({ type: 'card-inserted', reader: READER, atr: '3B' });
  }
  remove() {
    this.card = undefined;
    this.events.emit({ type: 'card-removed', reader: READER });
  }
  setStatus(status: DriverStatus) {
    this.current = status;
    this.events.emit({ type: 'status', status });
  }
  restore() {
    this.setStatus(okStatus(this.kind));
  }
}

export const TEST_PERSON: InsuredPerson = {
  name: '試験 花子',
  birthDate: '19750102',
  insurerNumber: '  138057',
  symbol: '12',
  number: '3456',
  branch: '01',
  copayPercent: 30,
};

export function faceResult(overrides: Partial<ReaderResult['eligibility']> = {}, person: InsuredPerson = TEST_PERSON): Result<ReaderResult> {
  return ok({
    sourceId: 'face-1.xml',
    generatedAt: '2026-11-22T10:00:00+09:00',
    eligibility: { outcome: 'valid', source: 'face', people: [person], ...overrides },
  });
}

export const fakeDecision = (documents: DocumentDecision['documents']): DocumentDecision => ({
  decision: 'conditional',
  documents,
  reasons: ['reader-or-online-unavailable'],
  staffChecks: ['visual-photo-check'],
  patientGuidance: 'card-with-notice-accepted',
});

export interface HarnessOptions {
  driverKind?: DriverStatus['driver'];
  capabilities?: { cardIo: boolean; faceAuth: boolean };
  card?: FakeCardOptions;
  registry?: Map<string, CertificateRegistration>;
  /** false: no eligibility source answers for certificates (a production pcsc agent). */
  certificateSource?: boolean;
  config?: Partial<FlowConfig>;
  store?: CheckInStore;
  now?: string;
  registerReferenceNumber?: FlowDeps['registerReferenceNumber'];
}

/** Unique across harnesses, so two flows may share one store like two runs of the agent. */
let sessionIds = 0;

/** A flow over fakes, recording every (snapshot, event) the listeners received. */
export function createHarness(options: HarnessOptions = {}) {
  const clock = fixedClock(options.now ?? '2026-11-22T01:00:00Z');
  const driver = new FakeDriver(options.driverKind ?? 'mock', options.capabilities ?? { cardIo: true, faceAuth: false });
  const store = options.store ?? createCheckInStore(openDatabase(':memory:'));
  let cardOptions = options.card ?? {};
  const proofs: JpkiCard[] = [];
  const qualification = createMockQualificationService({ registry: options.registry ?? new Map(), people: new Map([['0a1b2c', TEST_PERSON]]) });
  const deps: FlowDeps = {
    driver,
    clock,
    eligibility: options.certificateSource === false ? {} : { certificates: qualification, insuranceNumbers: qualification },
    openJpki: () => driver.card!,
    checkCertificate: (_der, { now }) => ok(certificateFor(cardOptions, now)),
    proveKeyPossession: async (card) => {
      proofs.push(card);
      return ok(undefined);
    },
    decideDocuments: (input) => fakeDecision(input.documents),
    store,
    config: { ...defaultFlowConfig, ...options.config },
    logger: silentLogger,
    newSessionId: () => `s${++sessionIds}`,
    ...(options.registerReferenceNumber ? { registerReferenceNumber: options.registerReferenceNumber } : {}),
  };
  const flow = createCheckInFlow(deps);
  const received: { snapshot: FlowSnapshot; event?: FlowEvent }[] = [];
  flow.subscribe((snapshot, event) => received.push(event ? { snapshot, event } : { snapshot }));
  return {
    flow,
    driver,
    store,
    clock,
    deps,
    received,
    proofs,
    events: () => received.flatMap((r) => (r.event ? [r.event] : [])),
    setCard: (o: FakeCardOptions) => {
      cardOptions = o;
    },
    insert(o?: FakeCardOptions) {
      if (o) cardOptions = o;
      const card = fakeCard(cardOptions);
      driver.insert(card);
      return card;
    },
    step: () => flow.snapshot().step,
  };
}

/** Lets the invoked promise actors (all resolving at once with fakes) finish. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
