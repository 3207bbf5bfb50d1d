import type { AgentError, DriverKind, DriverStatus, Result } from '@kiosk/protocol';
import type { EligibilityResult } from '../eligibility/types.ts';

/** A card connection: raw APDU exchange. The JPKI application (card/jpki.ts) runs on top of it. */
export interface CardChannel {
  readonly reader: string;
  /** ATR as uppercase hex without spaces. */
  readonly atr: string;
  /** One command APDU → one response APDU (data + SW1 SW2). Card removal → CARD_REMOVED. */
  transmit(apdu: Uint8Array): Promise<Result<Uint8Array>>;
  close(): Promise<void>;
}

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
