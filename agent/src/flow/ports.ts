import type {
  AgentError,
  AuthMethod,
  ConsentItem,
  DocumentDecision,
  DriverKind,
  DriverStatus,
  EligibilityOutcome,
  OrcaEntry,
  Result,
  StaffReason,
} from '@kiosk/protocol';
import type { CardChannel } from '../card/types.ts';

/**
 * The flow's ports: what the check-in flow needs from the world, declared here and implemented below it
 * (drivers/, storage/, the 資格確認端末 adapter) or by the demo's mocks. Adapters import only this file of the flow.
 */
export type { CardChannel } from '../card/types.ts';
export type { Clock } from '../clock.ts';

// ── Reader drivers ──

/** Everything a driver reports; the flow reacts to these. */
export type DriverEvent =
  | { type: 'status'; status: DriverStatus }
  | { type: 'card-inserted'; reader: string; atr: string }
  | { type: 'card-removed'; reader: string }
  /** A result produced by the reader itself (face/PIN/目視 on the face-auth reader, via oqs or mock). */
  | { type: 'reader-result'; result: ReaderResult }
  | { type: 'error'; error: AgentError };

/** What a face-auth reader transaction produced, already parsed (oqs: one face XML). */
export interface ReaderResult {
  /** Stable id of the source (oqs: the face file name), used for exactly-once binding. */
  sourceId: string;
  /** When the reader/terminal generated it (ProcessExecutionTime), ISO 8601 with offset. */
  generatedAt: string;
  eligibility: EligibilityResult;
}

export interface FaceWaitRequest {
  sessionId: string;
  /** Session start; results generated before it are never bound to this session. */
  since: Date;
  /** Patient-entered data to cross-check (a mismatch goes to staff review). */
  birthDate?: string;
}

export interface ReaderDriver {
  readonly kind: DriverKind;
  /** cardIo: openCard works (pcsc, mock). faceAuth: awaitFaceResult works (oqs, mock). */
  readonly capabilities: { readonly cardIo: boolean; readonly faceAuth: boolean };
  start(): Promise<void>;
  /** Closes every reader and context so the process can exit. */
  stop(): Promise<void>;
  status(): DriverStatus;
  subscribe(listener: (event: DriverEvent) => void): () => void;
  openCard?(reader: string): Promise<Result<CardChannel>>;
  /**
   * Wait for the reader's own authentication + eligibility result bound to this session.
   * Resolves ELIGIBILITY_REVIEW when the binding is ambiguous, ELIGIBILITY_TIMEOUT on timeout.
   */
  awaitFaceResult?(request: FaceWaitRequest, signal: AbortSignal): Promise<Result<ReaderResult>>;
}

/** Small helper for drivers: a typed listener set. */
export class DriverEvents {
  readonly #listeners = new Set<(event: DriverEvent) => void>();
  subscribe(listener: (event: DriverEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(event: DriverEvent): void {
    for (const listener of [...this.#listeners]) listener(event);
  }
}

// ── Eligibility sources ──

/**
 * One insured person as the eligibility service returned them. Values are kept as strings exactly as
 * written (leading zeros, space padding). Personal data: never log, never send to the kiosk unmasked.
 */
export interface InsuredPerson {
  name: string;
  nameKana?: string;
  /** YYYYMMDD as in the source. */
  birthDate: string;
  sex?: string;
  /** 保険者番号 as written (6-digit numbers may be space-padded to 8). */
  insurerNumber: string;
  symbol?: string;
  number: string;
  branch?: string;
  insurerName?: string;
  /** 一部負担割合 in percent, when known. */
  copayPercent?: number;
  /** 照会番号 (clinic patient number) when the terminal carries one. */
  referenceNumber?: string;
}

export interface EligibilityResult {
  outcome: EligibilityOutcome;
  source: 'face' | 'certificate' | 'insurance-numbers';
  /** Persons returned (0 for not-found/error, several for multiple). */
  people: InsuredPerson[];
  /** Supplementary message, e.g. certificate expiring in 3 months. Not personal. */
  message?: string;
  /** The reader transaction's own consents, when it asked them (oqs). */
  consents?: Partial<Record<ConsentItem, boolean>>;
  prescription?: 'electronic' | 'paper';
  /** How the patient authenticated on the reader, when known. */
  authMethod?: 'face' | 'pin' | 'visual';
}

export interface CertificateIdentity {
  /** Certificate serial as lowercase hex. The qualification service keys on it. */
  serialHex: string;
  issuer: string;
}

export interface InsuranceQuery {
  insurerNumber: string;
  symbol?: string;
  number: string;
  branch?: string;
  /** YYYYMMDD */
  birthDate: string;
}

export type CertificateRegistration = 'registered' | 'unregistered' | 'lost';

/**
 * Eligibility by certificate: the online qualification service's answer for a card's 利用者証明用電子証明書.
 * No clinic-side interface reaches it today (the 資格確認端末 answers only its own reader and 一件照会), so a
 * production agent has none and a card read over PC/SC proves identity only. The demo's mock registry has one.
 */
export interface CertificateSource {
  /** Is this certificate registered for insurance use, and what is the eligibility. */
  byCertificate(cert: CertificateIdentity): Promise<Result<{ registration: CertificateRegistration; eligibility?: EligibilityResult }>>;
  /** 利用登録 of a certificate (after PIN, face or 目視). */
  register(cert: CertificateIdentity): Promise<Result<void>>;
}

/** 一件照会 by insurance numbers (the 資格確認端末's req/res folders). */
export interface InsuranceNumberSource {
  byInsuranceNumbers(query: InsuranceQuery, signal?: AbortSignal): Promise<Result<EligibilityResult>>;
}

/** The eligibility sources an agent has: each is present only where a real (or, in the demo, a mock) service answers. */
export interface EligibilitySources {
  certificates?: CertificateSource;
  insuranceNumbers?: InsuranceNumberSource;
}

/** oqs: writes the 照会番号 registration request (OQSsiimm01) for a new patient. */
export type RegisterReferenceNumber = (request: { patientNumber: string; person: InsuredPerson }) => Promise<Result<void>>;

// ── Check-in store ──

export type CheckInOrigin = 'card' | 'reader' | 'manual';
export type CheckInEndStatus = 'staff' | 'fallback' | 'abandoned';
export type ConsentAnswers = Partial<Record<ConsentItem, boolean>>;

export interface CheckInCompletion {
  at: Date;
  authMethod?: AuthMethod;
  eligibilityOutcome?: EligibilityOutcome;
  newPatient: boolean;
  patientNumber?: string;
  /** For the receipt computer: the salted insurance identity and, in memory only, the person (never stored). */
  identityKey?: string;
  person?: ReceptionPerson;
}

export interface StoredConsent {
  given: ConsentAnswers;
  recordedAt: Date;
}

export interface CheckInStore {
  /** Salted HMAC-SHA256 of a subject (certificate serial, insurance identity); the raw value is never stored. */
  subjectKey(kind: 'certificate' | 'insurance', value: string): string;
  beginCheckIn(input: { sessionId: string; startedAt: Date; origin: CheckInOrigin }): Result<void>;
  /** Facts learnt during the session; only fields given are written. */
  noteCheckIn(sessionId: string, facts: { authMethod?: AuthMethod; eligibilityOutcome?: EligibilityOutcome; staffReason?: StaffReason }): Result<void>;
  /** The documents the patient chose on the manual path and the rules' verdict, kept for the desk. */
  noteDocuments(sessionId: string, chosen: DocumentDecision, at: Date): Result<void>;
  /** Ends a session that did not complete (routed to staff, manual path, reset). A completed row is left as is. */
  endCheckIn(sessionId: string, end: { status: CheckInEndStatus; at: Date; reason?: string; staffReason?: StaffReason }): Result<void>;
  /**
   * Completes the session and issues the next queue number of its Japan day, in one transaction; with a
   * reception sink, its 受付 request is written in the same transaction.
   */
  completeCheckIn(sessionId: string, completion: CheckInCompletion): Result<{ queueNumber: number }>;
  /** At start-up: sessions left in progress by the previous run become interrupted. Returns their ids. */
  markInterrupted(at: Date): Result<string[]>;
  /** The newest consent for a subject recorded at or after `notBefore`. */
  findConsent(subjectKey: string, notBefore: Date): Result<StoredConsent | null>;
  recordConsent(input: { sessionId: string; subjectKey: string; given: ConsentAnswers; recordedAt: Date; source: 'kiosk' | 'reader' }): Result<void>;
  findPatient(identityKey: string): Result<{ patientNumber: string } | null>;
  /** Issues the next patient number for a new patient (or returns the existing one). */
  registerPatient(input: { identityKey: string; at: Date; phone?: string }): Result<{ patientNumber: string }>;
}

// ── Reception: the clinic's receipt computer (ORCA) ──

/** What the receipt computer needs to find or register a patient: a manual entry may carry only the insurance. */
export type ReceptionPerson = Partial<InsuredPerson> & Pick<InsuredPerson, 'insurerNumber'>;

/** A completed check-in to hand to the receipt computer as a 受付. */
export interface ReceptionItem {
  sessionId: string;
  /** The completion: its Japan date and time are the 受付's. */
  at: Date;
  /** The kiosk registered this patient as new: only such a patient may be registered in the receipt computer. */
  newPatient: boolean;
  /** Salted insurance identity (CheckInStore.subjectKey): the receipt computer's 患者番号 is remembered under it. */
  identityKey?: string;
  /** Personal data to find or register the patient: kept in memory only, never written to the database. */
  person?: ReceptionPerson;
}

/**
 * Receives completed check-ins. The store calls `enqueue` inside the transaction that completes the
 * check-in, on the same database connection, so the 受付 request is durable exactly when the check-in is:
 * an exception rolls the completion back. Sending happens later, outside the transaction.
 */
export interface ReceptionSink {
  enqueue(item: ReceptionItem): void;
}

/** The staff side of the reception: each check-in's state and the two actions. */
export interface ReceptionDesk {
  /** The state of every 受付 request of the given sessions, by session id. */
  states(sessionIds: readonly string[]): Map<string, OrcaEntry>;
  /** Sends a 受付 that needs attention again, optionally for the ORCA 患者番号 staff chose or entered. */
  resend(sessionId: string, patientId?: string): Result<void>;
  /** Cancels a 受付: in ORCA when it was sent, else it is not sent. */
  cancel(sessionId: string): Result<void>;
  /** Called whenever a state changes (the board redraws). */
  subscribe(listener: () => void): () => void;
}
