/**
 * The flow's guards and next-step decisions as pure functions: each takes the session and what just
 * happened and returns a Decision, the step to enter and the session it carries there. The step names
 * are states of the machine's `session`; machine.ts lists, per decision, the steps it may name as guarded
 * targets. decisions.test.ts tests each.
 */
import {
  agentError,
  causeOf,
  CONSENT_ITEMS,
  type AgentError,
  type CertificateStatus,
  type ConsentItem,
  type DriverStatus,
  type EligibilityOutcome,
  type FallbackReason,
  type FlowCommand,
  type Result,
  type StaffReason,
  SESSION_FREE_COMMANDS,
} from '@kiosk/protocol';
import type { JpkiCard } from '../card/types.ts';
import { AUTH_PIN_MAX_TRIES } from '../card/constants.ts';
import type { CardChannel, CertificateRegistration, EligibilityResult, ConsentAnswers, StoredConsent } from './ports.ts';
import type { FlowConfig } from './config.ts';
import type { CertificateUseRule } from './deps.ts';
import { withNotices, type CardState, type CertificateRead, type NotRead, type Session } from './context.ts';

/** Wrong PINs in one visit after which the flow stops asking (the third would lock the card). */
export const MAX_PIN_FAILURES_PER_SESSION = 2;

/** What read-card.ts reads before authentication; no certificate: a phone token that shows it only after the PIN. */
export type CardRead = {
  reader: string;
  channel: CardChannel;
  card: JpkiCard;
  kind: CardState['kind'];
  /** undefined: the card has no PIN (顔認証マイナンバーカード). */
  pinTriesLeft: number | undefined;
} & (CertificateRead | NotRead<CertificateRead>);

/** An eligibility result with the facts the kiosk's records add (all keys salted hashes). */
export interface EligibilityFound {
  eligibility: EligibilityResult;
  subjectKey?: string;
  identityKey?: string;
  knownPatientNumber?: string;
  priorConsent?: StoredConsent;
}

/** 'no-source': no eligibility source answers for certificates (identity only). */
export type CertificateLookup = { registration: CertificateRegistration | 'no-source'; found?: EligibilityFound };

/** A decision: the session's next step (a state of the machine's `session`) and the session it carries there. */
export interface Decision<To extends string = string> {
  to: To;
  session: Session;
}

export function toStaff(session: Session, reason: StaffReason, now: Date, error?: AgentError): Decision<'staff'> {
  return { to: 'staff', session: { ...session, staff: { reason, since: now }, ...(error ? { error } : {}) } };
}

function toError(session: Session, error: AgentError): Decision<'error'> {
  return { to: 'error', session: { ...session, error } };
}

function toManual(session: Session, reason: FallbackReason, error?: AgentError): Decision<'manual'> {
  return { to: 'manual', session: { ...session, fallback: { reason, documents: [] }, ...(error ? { error } : {}) } };
}

const SMARTPHONE_KINDS = new Set(['android', 'iphone']);
const MY_NUMBER_KINDS = new Set(['my-number-card', 'android', 'iphone']);

export function isSmartphone(kind: CardState['kind']): boolean {
  return SMARTPHONE_KINDS.has(kind);
}

type CertificateRule = (status: CertificateStatus) => CertificateUseRule;

/** A failed card or certificate read: a certificate problem is for staff, a card problem for the patient. */
function readFailure(session: Session, error: AgentError, now: Date): Decision<'staff' | 'error'> {
  return causeOf(error.code) === 'certificate' ? toStaff(session, 'certificate-untrusted', now, error) : toError(session, error);
}

/** After the card was read (before any PIN): route on card kind, certificate and PIN state. */
export function afterRead(session: Session, read: Result<CardRead>, rule: CertificateRule, now: Date): Decision<'choose-auth' | 'manual' | 'staff' | 'error'> {
  if (!read.ok) return readFailure(session, read.error, now);
  const { value } = read;
  if (!MY_NUMBER_KINDS.has(value.kind)) return toError(session, agentError('CARD_NOT_MYNUMBER'));
  const card: CardState = {
    reader: value.reader,
    channel: value.channel,
    card: value.card,
    kind: value.kind,
    hasPin: value.pinTriesLeft !== undefined,
    ...(value.pinTriesLeft !== undefined ? { pinTriesLeft: value.pinTriesLeft } : {}),
  };
  const identified: Session = { ...session, card, error: undefined };
  // A phone token that hides its certificate is checked right after the PIN (afterCertificateRead).
  if (!value.certificate) return toAuthChoice(identified, now);
  return withCheckedCertificate(identified, value, rule, now, (checked) => toAuthChoice(checked, now));
}

/** The certificate of a phone token, read right after its PIN: the same checks as a card's, then proof of possession. */
export function afterCertificateRead(
  session: Session,
  read: Result<CertificateRead>,
  rule: CertificateRule,
  now: Date,
): Decision<'proving' | 'manual' | 'staff' | 'error'> {
  if (!read.ok) return readFailure(session, read.error, now);
  return withCheckedCertificate(session, read.value, rule, now, (checked) => ({ to: 'proving', session: checked }));
}

/**
 * The certificate checks, one place for both reads (a card's before authentication, a phone token's
 * after the PIN): records the certificate with its status under the rule, sharing and notices; an
 * untrusted chain or key goes to staff, a certificate the rule refuses to the manual path, else `then`.
 */
function withCheckedCertificate<To extends string>(
  session: Session,
  read: CertificateRead,
  rule: CertificateRule,
  now: Date,
  then: (checked: Session) => Decision<To>,
): Decision<To | 'manual' | 'staff' | 'error'> {
  const card = session.card;
  // Unreachable: both reads record the card first.
  if (!card) return toError(session, agentError('INTERNAL'));
  const { certificate } = read;
  // スマホ保険証 has no grace period: a phone whose card certificate is past expiry is expired.
  const certificateStatus = isSmartphone(card.kind) && !rule(certificate.status).smartphoneAllowed ? 'expired' : certificate.status;
  const effectiveRule = rule(certificateStatus);
  const checked: Session = {
    ...session,
    card: { ...card, certDer: read.certDer, certificate, certificateStatus },
    sharingAllowed: effectiveRule.informationSharing,
    notices: withNotices(session.notices, effectiveRule.notices),
    error: undefined,
  };
  if (certificate.chain !== 'trusted' || !certificate.keyUsageOk) return toStaff(checked, 'certificate-untrusted', now);
  if (effectiveRule.fallbackReason) return toManual(checked, effectiveRule.fallbackReason);
  return then(checked);
}

/** A card with a blocked PIN goes to staff; otherwise the patient chooses how to authenticate. */
function toAuthChoice(session: Session, now: Date): Decision<'choose-auth' | 'staff'> {
  if (session.card?.hasPin && session.card.pinTriesLeft === 0) return toStaff(session, 'pin-blocked', now, agentError('PIN_BLOCKED'));
  return { to: 'choose-auth', session };
}

/** A PIN may be asked only on a card with a PIN, with tries left, and before two failures in this visit. */
export function canAskPin(session: Session): boolean {
  const card = session.card;
  return !!card && card.hasPin && (card.pinTriesLeft ?? 0) > 0 && session.pinFailures < MAX_PIN_FAILURES_PER_SESSION;
}

/**
 * A phone token that hides its certificate until the PIN (Android GPSE) is proved by that PIN alone:
 * 目視 compares a card's photo, which a phone does not have, and is followed by a certificate lookup the
 * token does not allow without the PIN; face authentication runs on the 顔認証付きカードリーダー with a
 * physical card and proves nothing about the phone on this reader. A phone whose certificate is readable
 * keeps today's choice.
 */
function certificateAfterPin(session: Session): boolean {
  return !!session.card && !session.card.certificate;
}

/** 目視 needs a card the staff can look at, before authentication is done. */
export function canAskVisual(session: Session): boolean {
  return !!session.card && !certificateAfterPin(session) && session.authMethod === undefined;
}

/** Face authentication, when usable on the reader, except for a phone token that hides its certificate. */
export function canAskFace(session: Session, faceAuth: boolean): boolean {
  return faceAuth && !certificateAfterPin(session);
}

/**
 * Face authentication is offered when the driver can do it and its face-reader part is not down: with
 * pcsc+oqs the agent keeps serving on the PC/SC reader while the 資格確認端末 is unreachable.
 */
export function faceUsable(driverCanFaceAuth: boolean, reader: DriverStatus): boolean {
  return driverCanFaceAuth && !reader.readers.some((r) => r.driver === 'oqs' && r.state === 'unavailable');
}

export function authMethods(session: Session, faceAuth: boolean): ('face' | 'pin' | 'staff')[] {
  return [
    ...(canAskFace(session, faceAuth) ? (['face'] as const) : []),
    ...(canAskPin(session) ? (['pin'] as const) : []),
    ...(canAskVisual(session) ? (['staff'] as const) : []),
  ];
}

/** Why choose-auth 'pin' is refused, when it is. */
export function pinRefusal(session: Session): AgentError | undefined {
  if (canAskPin(session)) return undefined;
  if (session.card && !session.card.hasPin) return agentError('PIN_NOT_AVAILABLE');
  if (session.card?.pinTriesLeft === 0) return agentError('PIN_BLOCKED');
  if (session.pinFailures >= MAX_PIN_FAILURES_PER_SESSION) return agentError('PIN_TOO_MANY_FAILURES');
  return agentError('INPUT_NOT_ALLOWED_NOW');
}

/** The last try is spent only after an explicit confirmation; the PIN typed before it is dropped. */
export function needsLastTryConfirmation(session: Session): boolean {
  return session.card?.pinTriesLeft === 1 && !session.lastTryConfirmed;
}

export function afterPin(
  session: Session,
  result: Result<void>,
  now: Date,
): Decision<'proving' | 'reading-certificate' | 'pin' | 'pin-confirm-last-try' | 'staff' | 'error'> {
  const card = session.card;
  // Unreachable: the PIN is asked only with a card read.
  if (!card) return toError(session, agentError('INTERNAL'));
  const cleared = { ...session, lastTryConfirmed: false };
  // A correct PIN resets the card's counter; a phone token shows its certificate now, to be checked before the proof.
  if (result.ok)
    return {
      to: card.certificate ? 'proving' : 'reading-certificate',
      session: { ...cleared, authMethod: 'pin', error: undefined, card: { ...card, pinTriesLeft: AUTH_PIN_MAX_TRIES } },
    };
  const { error } = result;
  if (error.code === 'PIN_BLOCKED') return toStaff({ ...cleared, card: { ...card, pinTriesLeft: 0 } }, 'pin-blocked', now, error);
  if (error.code !== 'PIN_INCORRECT') return toError(cleared, error);
  const reported = error.details?.triesLeft;
  const pinTriesLeft = typeof reported === 'number' ? reported : Math.max(0, (card.pinTriesLeft ?? 1) - 1);
  const failed: Session = { ...cleared, pinFailures: session.pinFailures + 1, card: { ...card, pinTriesLeft } };
  if (pinTriesLeft === 0) return toStaff(failed, 'pin-blocked', now, agentError('PIN_BLOCKED'));
  if (failed.pinFailures >= MAX_PIN_FAILURES_PER_SESSION) return toStaff(failed, 'pin-failures', now, agentError('PIN_TOO_MANY_FAILURES'));
  // Down to the last try: the warning comes before the keypad, so the next PIN is typed once.
  return {
    to: needsLastTryConfirmation(failed) ? 'pin-confirm-last-try' : 'pin',
    session: { ...failed, error: agentError('PIN_INCORRECT', undefined, { triesLeft: pinTriesLeft }) },
  };
}

export function afterProof(session: Session, result: Result<void>, now: Date): Decision<'eligibility' | 'error' | 'staff'> {
  if (result.ok) return { to: 'eligibility', session };
  if (['card', 'reader'].includes(causeOf(result.error.code))) return toError(session, result.error);
  return toStaff(session, 'certificate-untrusted', now, result.error);
}

/** Why staff take over when the eligibility check says anything but valid (the kiosk flow and the desk's 一件照会). */
export const OUTCOME_STAFF_REASON: Record<Exclude<EligibilityOutcome, 'valid'>, StaffReason> = {
  invalid: 'eligibility-invalid',
  'invalid-new-qualification': 'eligibility-new-qualification',
  'not-found': 'eligibility-not-found',
  multiple: 'eligibility-multiple',
  error: 'eligibility-error',
};

function eligibilityFailure(session: Session, error: AgentError, now: Date): Decision<'manual' | 'staff'> {
  if (error.code === 'OQS_FOLDER_UNAVAILABLE') return toManual(session, 'oqs-unavailable', error);
  if (error.code === 'ELIGIBILITY_REVIEW') return toStaff(session, 'eligibility-review', now, error);
  if (error.code === 'ELIGIBILITY_LOST_CARD') return toStaff(session, 'card-lost', now, error);
  return toStaff(session, 'eligibility-error', now, error);
}

/** Consents offered by this clinic, in screen order. */
export function offeredConsents(config: FlowConfig): ConsentItem[] {
  return CONSENT_ITEMS.filter((item) => (item === 'diagnosis' || item === 'operation' ? config.consent[item] : true));
}

/** Where an eligibility result leads: the result screen, after recording the consents the reader asked itself. */
type EligibilityStep = 'result' | 'recording-reader-consent' | 'staff';

/** An eligibility result arrived (face result, certificate lookup or registration). */
export function applyEligibility(session: Session, found: EligibilityFound, config: FlowConfig, now: Date): Decision<EligibilityStep> {
  const { eligibility } = found;
  const base: Session = {
    ...session,
    eligibility,
    error: undefined,
    ...(found.subjectKey ? { subjectKey: found.subjectKey } : {}),
    ...(found.identityKey ? { identityKey: found.identityKey } : {}),
  };
  if (eligibility.outcome !== 'valid') return toStaff(base, OUTCOME_STAFF_REASON[eligibility.outcome], now);
  if (eligibility.people.length !== 1) return toStaff(base, 'eligibility-multiple', now);
  const knownNumber = found.knownPatientNumber ?? eligibility.people[0]?.referenceNumber;
  const offered = offeredConsents(config);
  const readerConsent = eligibility.consents ? { given: eligibility.consents as ConsentAnswers, fromReader: true } : undefined;
  const consent = !session.sharingAllowed
    ? { offered: [] }
    : readerConsent
      ? { offered, ...readerConsent }
      : // A consent from the last 24 hours is reused for a returning patient; a first visit is asked.
        found.priorConsent && knownNumber !== undefined
        ? { offered, given: found.priorConsent.given, recordedAt: found.priorConsent.recordedAt, reused: true }
        : { offered };
  const notices = withNotices(base.notices, [
    ...(!session.sharingAllowed ? (['sharing-not-offered'] as const) : []),
    ...(consent.reused ? (['consent-reused'] as const) : []),
  ]);
  return {
    to: session.sharingAllowed && readerConsent ? 'recording-reader-consent' : 'result',
    session: {
      ...base,
      isNewPatient: knownNumber === undefined,
      ...(knownNumber !== undefined ? { patientNumber: knownNumber } : {}),
      consent,
      notices,
      ...(eligibility.prescription ? { prescription: eligibility.prescription } : {}),
    },
  };
}

export function afterFace(
  session: Session,
  result: Result<EligibilityFound>,
  config: FlowConfig,
  now: Date,
): Decision<EligibilityStep | 'choose-auth' | 'manual' | 'error'> {
  // A face mismatch is common (glasses, light, children): with a card in hand the patient may switch to
  // the PIN or ask for 目視, as on the reader itself.
  if (!result.ok && result.error.code === 'FACE_NOT_MATCHED' && session.card) return { to: 'choose-auth', session: { ...session, error: result.error } };
  if (!result.ok) {
    const failed = eligibilityFailure(session, result.error, now);
    if (failed.session.staff?.reason !== 'eligibility-error') return failed;
    // Without a card here the reader ran its own check (face-first) and offers PIN and 目視 itself: the
    // patient tries again there; staff are called only for a patient whose card is on our reader.
    return session.card ? toStaff(session, 'face-failed', now, result.error) : toError(session, result.error);
  }
  const authMethod = result.value.eligibility.authMethod ?? 'face';
  return applyEligibility({ ...session, authMethod }, result.value, config, now);
}

export function afterCertificateLookup(
  session: Session,
  result: Result<CertificateLookup>,
  config: FlowConfig,
  now: Date,
): Decision<EligibilityStep | 'registration-offer' | 'manual'> {
  if (!result.ok) return eligibilityFailure(session, result.error, now);
  const { registration, found } = result.value;
  // Identity verified, insurance unknown: the desk confirms it (一件照会, 資格情報のお知らせ, 資格確認書).
  if (registration === 'no-source') return toStaff(session, 'insurance-pending', now);
  if (registration === 'lost') return toStaff(session, 'card-lost', now, agentError('ELIGIBILITY_LOST_CARD'));
  if (registration === 'unregistered') {
    // Registered a moment ago but still unregistered: do not loop, hand over.
    if (session.registration?.done) return toStaff(session, 'registration-failed', now, agentError('ELIGIBILITY_NOT_REGISTERED'));
    return { to: 'registration-offer', session: { ...session, registration: { done: false }, authPurpose: 'registration' } };
  }
  if (!found) return toStaff(session, 'eligibility-error', now, agentError('ELIGIBILITY_SERVICE_ERROR'));
  return applyEligibility(session, found, config, now);
}

/**
 * 利用登録 answered. The certificate lookup runs only after PIN (with proof) or 目視, so the identity is
 * already proved in this visit and registration follows directly; a face-only card got here by 目視.
 * Declining leaves the card path: the manual path asks for other documents.
 */
export function afterRegistrationAnswer(session: Session, agree: boolean): Decision<'manual' | 'registering'> {
  if (!agree) return toManual({ ...session, registration: { agreed: false, done: false } }, 'patient-choice');
  return { to: 'registering', session: { ...session, registration: { agreed: true, done: false } } };
}

export function afterRegistration(
  session: Session,
  result: Result<CertificateLookup>,
  config: FlowConfig,
  now: Date,
): Decision<EligibilityStep | 'registration-offer' | 'manual'> {
  if (!result.ok) return toStaff(session, result.error.code === 'ELIGIBILITY_LOST_CARD' ? 'card-lost' : 'registration-failed', now, result.error);
  return afterCertificateLookup({ ...session, registration: { agreed: true, done: true }, authPurpose: 'check-in' }, result, config, now);
}

/** The next screen after the result: new patient, consents, prescription, then completion. */
export function nextAfterResult(session: Session, config: FlowConfig): Decision<'new-patient' | 'consent' | 'prescription' | 'completing'> {
  const to =
    session.isNewPatient && !session.patientNumber
      ? 'new-patient'
      : session.consent && session.consent.offered.length > 0 && !session.consent.given
        ? 'consent'
        : config.ePrescription && !session.prescription
          ? 'prescription'
          : 'completing';
  return { to, session: { ...session, error: undefined } };
}

/** The consent command's answers for exactly the offered items, or why they are incomplete. */
export function consentAnswers(offered: readonly ConsentItem[], command: Extract<FlowCommand, { type: 'consent' }>): Result<ConsentAnswers> {
  if (command.all !== undefined) return { ok: true, value: Object.fromEntries(offered.map((item) => [item, command.all])) as ConsentAnswers };
  const items: ConsentAnswers = command.items ?? {};
  const missing = offered.filter((item) => items[item] === undefined);
  if (missing.length > 0)
    return { ok: false, error: agentError('INPUT_INVALID', 'every offered consent item needs an answer', { missing: missing.join(',') }) };
  return { ok: true, value: Object.fromEntries(offered.map((item) => [item, items[item] === true])) as ConsentAnswers };
}

/** A command naming another session than the current one comes from a screen that is out of date. */
export function isStale(command: FlowCommand, currentSessionId: string | null): boolean {
  if (command.sessionId === undefined || (SESSION_FREE_COMMANDS as readonly string[]).includes(command.type)) return false;
  return command.sessionId !== currentSessionId;
}
