import type {
  AgentError,
  AuthMethod,
  CardKind,
  CertificateStatus,
  ConsentItem,
  DocumentDecision,
  DocumentId,
  DriverStatus,
  FallbackReason,
  Language,
  Notice,
  StaffReason,
} from '@kiosk/protocol';
import type { CardChannel, EligibilityResult, CheckInOrigin, ConsentAnswers } from './ports.ts';
import type { CertificateCheck, JpkiCard } from '../card/types.ts';

/** The 利用者証明用 certificate as read from the card and checked against the anchors. */
export interface CertificateRead {
  certDer: Uint8Array;
  certificate: CertificateCheck;
}

/** Fields of `T`, all absent: the certificate is not read yet. */
export type NotRead<T> = { [K in keyof T]?: undefined };

interface CheckedCertificate extends CertificateRead {
  /** Status after the certificate rule (a smartphone has no grace). */
  certificateStatus: CertificateStatus;
}

/**
 * The card as read before authentication. `card` and `channel` are handles, not data. The certificate
 * is absent only for a phone token that shows it after the PIN (read in `reading-certificate`).
 */
export type CardState = {
  reader: string;
  channel: CardChannel;
  card: JpkiCard;
  kind: CardKind;
  hasPin: boolean;
  pinTriesLeft?: number;
} & (CheckedCertificate | NotRead<CheckedCertificate>);

/**
 * One check-in. Everything personal lives here and only here, so a reset that drops the session drops
 * all of it. Personal fields: eligibility (names, numbers), certificate (serial, subject).
 */
export interface Session {
  id: string;
  startedAt: Date;
  origin: CheckInOrigin;
  cardReader?: string;
  card?: CardState;
  pinFailures: number;
  lastTryConfirmed: boolean;
  authMethod?: AuthMethod;
  authPurpose: 'check-in' | 'registration';
  /** Information sharing may be offered (false in the certificate grace period). */
  sharingAllowed: boolean;
  eligibility?: EligibilityResult;
  /** Salted hashes: consent key (certificate serial or insurance identity) and patient key (insurance identity). */
  subjectKey?: string;
  identityKey?: string;
  isNewPatient?: boolean;
  patientNumber?: string;
  consent?: { offered: ConsentItem[]; given?: ConsentAnswers; recordedAt?: Date; fromReader?: boolean; reused?: boolean };
  prescription?: 'electronic' | 'paper';
  registration?: { agreed?: boolean; done: boolean };
  fallback?: { reason: FallbackReason; documents: DocumentId[]; decision?: DocumentDecision };
  staff?: { reason: StaffReason; since: Date };
  notices: Notice[];
  queueNumber?: number;
  error?: AgentError;
}

export interface FlowContext {
  language: Language;
  reader: DriverStatus;
  /** Consecutive read errors across sessions; a successful read clears it. */
  readErrors: number;
  /** Why the kiosk is on the manual path without a session (reader lost etc.); null when readers work. */
  readerProblem: FallbackReason | null;
  /** Notices on the welcome/fallback screen (reader-restored). */
  idleNotices: Notice[];
  session: Session | null;
}

export function newSession(id: string, startedAt: Date, origin: CheckInOrigin): Session {
  return { id, startedAt, origin, pinFailures: 0, lastTryConfirmed: false, authPurpose: 'check-in', sharingAllowed: true, notices: [] };
}

export function withNotices(current: Notice[], added: readonly Notice[]): Notice[] {
  return [...new Set([...current, ...added])];
}
