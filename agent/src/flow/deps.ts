import type { CertificateStatus, DocumentDecision, DocumentId, FallbackReason, Notice, Result } from '@kiosk/protocol';
import type { CardChannel, CheckInStore, EligibilitySources, ReaderDriver, RegisterReferenceNumber } from './ports.ts';
import type { CertificateCheck, JpkiCard } from '../card/types.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { FlowConfig } from './config.ts';

/** What a certificate state allows (rules/certificate.ts certificateRule has this shape). */
export interface CertificateUseRule {
  informationSharing: boolean;
  smartphoneAllowed: boolean;
  notices: Notice[];
  fallbackReason?: FallbackReason;
}

/** The part of rules/documents.ts DocumentsInput the flow fills in. */
export interface FlowDocumentsInput {
  date: string;
  documents: DocumentId[];
  readerAvailable: boolean;
}

/** Everything the flow needs from the rest of the agent, injected so tests use fakes. */
export interface FlowDeps {
  driver: ReaderDriver;
  clock: Clock;
  /** Only the sources a real service answers (the demo's mocks aside); none means identity only. */
  eligibility: EligibilitySources;
  openJpki: (channel: CardChannel) => JpkiCard;
  /** card/certificates.ts checkCertificate with the trust anchors bound by the caller. */
  checkCertificate: (der: Uint8Array, options: { now: Date; intermediates?: Uint8Array[] }) => Result<CertificateCheck>;
  proveKeyPossession: (card: JpkiCard, certDer: Uint8Array) => Promise<Result<void>>;
  decideDocuments: (input: FlowDocumentsInput) => DocumentDecision;
  /** Defaults to rules/certificate.ts certificateRule. */
  certificateRule?: (status: CertificateStatus) => CertificateUseRule;
  store: CheckInStore;
  config: FlowConfig;
  logger: Logger;
  /** oqs only: write the 照会番号 registration request (OQSsiimm01) for a new patient. */
  registerReferenceNumber?: RegisterReferenceNumber;
  /** Session ids; defaults to crypto.randomUUID. */
  newSessionId?: () => string;
}
