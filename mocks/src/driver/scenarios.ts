import type { EligibilityOutcome } from '@kiosk/protocol';

/**
 * The mock reader's catalogue. A scenario says what the reader, the card and the online services do;
 * the patient's part (which button, which PIN) is played by whoever uses the kiosk, and `patient`
 * says what to do to see the scenario through. The test PIN of every PIN-bearing card is 1234.
 */
export interface Scenario {
  name: string;
  description: string;
  patient?: string;
  reader: 'present' | 'absent' | 'service-down';
  card?: {
    /** Virtual card profile id (mocks/src/card/profiles.ts). */
    profile: string;
    /** PIN tries left when the card is placed (default: the profile's). */
    pinTriesLeft?: number;
    /** The card leaves the reader after this many APDUs (card pulled mid-read). */
    removeAfterApdus?: number;
  };
  /** What the face-auth reader does when the patient chooses face. */
  face?: { outcome: 'success' | 'failure'; delayMs?: number };
  /** What the online qualification service answers for this card. */
  eligibility?: { registration?: 'registered' | 'unregistered' | 'lost'; outcome?: EligibilityOutcome; newPatient?: boolean };
  /** Reader events after the scenario starts, e.g. the reader being unplugged. */
  later?: { afterMs: number; action: ReaderAction }[];
}

export type ReaderAction = 'remove-card' | 'unplug-reader' | 'plug-reader' | 'service-down' | 'service-up';

const validCard = { profile: 'valid' } as const;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'face-success',
    description: 'Valid card; face authentication succeeds; insurance valid',
    patient: 'Choose face',
    reader: 'present',
    card: validCard,
    face: { outcome: 'success' },
  },
  { name: 'pin-success', description: 'Valid card; PIN 1234 accepted; insurance valid', patient: 'Choose PIN, enter 1234', reader: 'present', card: validCard },
  {
    name: 'wrong-pin-then-success',
    description: 'Valid card with 3 tries; a wrong PIN costs one try, the right one resets the counter',
    patient: 'Choose PIN, enter 0000, then 1234',
    reader: 'present',
    card: validCard,
  },
  {
    name: 'pin-last-try',
    description: 'Valid card with only one PIN try left',
    patient: 'Choose PIN: the kiosk warns before the keypad, then the PIN is typed once',
    reader: 'present',
    card: { profile: 'valid', pinTriesLeft: 1 },
  },
  { name: 'pin-locked', description: 'Card whose PIN is locked (0 tries): staff 目視 or another document', reader: 'present', card: { profile: 'pin-locked' } },
  { name: 'not-my-number-card', description: 'A card that is not a My Number card (reader error 002)', reader: 'present', card: { profile: 'not-jpki' } },
  {
    name: 'card-removed-mid-read',
    description: 'The card is pulled off the reader while it is being read',
    reader: 'present',
    card: { profile: 'valid', removeAfterApdus: 4 },
  },
  {
    name: 'reader-unplugged',
    description: 'The reader is unplugged a moment after start: the kiosk switches to the manual path',
    reader: 'present',
    later: [{ afterMs: 300, action: 'unplug-reader' }],
  },
  { name: 'no-reader', description: 'No reader connected at all: manual path', reader: 'absent' },
  { name: 'reader-service-down', description: 'The smart-card service is not running (like pcscd down): manual path', reader: 'service-down' },
  {
    name: 'face-failed',
    description: 'Face authentication fails; PIN or staff remain',
    patient: 'Choose face, then PIN 1234 or staff',
    reader: 'present',
    card: validCard,
    face: { outcome: 'failure' },
  },
  {
    name: 'face-only-card',
    description: '顔認証マイナンバーカード: no PIN; face or 目視 only',
    patient: 'Choose face',
    reader: 'present',
    card: { profile: 'face-only' },
    face: { outcome: 'success' },
  },
  {
    name: 'expiring-certificate',
    description: 'Certificate expires within 3 months: renewal reminder',
    patient: 'PIN 1234',
    reader: 'present',
    card: { profile: 'expiring' },
  },
  {
    name: 'grace-certificate',
    description: 'Certificate expired less than 3 months ago: eligibility only, no information sharing',
    patient: 'PIN 1234',
    reader: 'present',
    card: { profile: 'grace' },
  },
  {
    name: 'expired-certificate',
    description: 'Certificate expired more than 3 months ago: fallback guidance',
    patient: 'PIN 1234',
    reader: 'present',
    card: { profile: 'expired' },
  },
  {
    name: 'wrong-issuer',
    description: 'Certificate from an untrusted issuer: staff',
    patient: 'PIN 1234',
    reader: 'present',
    card: { profile: 'wrong-issuer' },
  },
  {
    name: 'unregistered-card',
    description: 'Card not registered for insurance use: 利用登録 on the spot',
    patient: 'Agree, PIN 1234',
    reader: 'present',
    card: { profile: 'unregistered' },
    eligibility: { registration: 'unregistered' },
  },
  {
    name: 'lost-card',
    description: 'Card reported lost: staff',
    patient: 'PIN 1234',
    reader: 'present',
    card: { profile: 'lost' },
    eligibility: { registration: 'lost' },
  },
  {
    name: 'eligibility-invalid',
    description: 'Insurance no longer valid: staff',
    patient: 'PIN 1234',
    reader: 'present',
    card: validCard,
    eligibility: { outcome: 'invalid' },
  },
  {
    name: 'eligibility-new-qualification',
    description: 'A newer insurance exists: staff',
    patient: 'PIN 1234',
    reader: 'present',
    card: validCard,
    eligibility: { outcome: 'invalid-new-qualification' },
  },
  {
    name: 'eligibility-not-found',
    description: 'No insurance record (not yet reflected after a job change): staff',
    patient: 'PIN 1234',
    reader: 'present',
    card: validCard,
    eligibility: { outcome: 'not-found' },
  },
  {
    name: 'eligibility-multiple',
    description: 'Several insurance records match: staff',
    patient: 'PIN 1234',
    reader: 'present',
    card: validCard,
    eligibility: { outcome: 'multiple' },
  },
  {
    name: 'new-patient',
    description: 'First visit: confirm pre-filled details, optional phone, a patient number is issued',
    patient: 'PIN 1234, confirm',
    reader: 'present',
    card: validCard,
    eligibility: { newPatient: true },
  },
  {
    name: 'smartphone',
    description: 'Android スマホ用電子証明書 on a general-purpose reader',
    patient: 'PIN 1234',
    reader: 'present',
    card: { profile: 'android' },
  },
  { name: 'juki-card', description: 'Old 住民基本台帳カード: not usable as マイナ保険証', reader: 'present', card: { profile: 'juki' } },
];

/** One-off reader actions, playable like scenarios ("kiosk-mock remove-card"). */
export const ACTIONS: readonly { name: ReaderAction; description: string }[] = [
  { name: 'remove-card', description: 'Take the card off the reader' },
  { name: 'unplug-reader', description: 'Unplug the reader' },
  { name: 'plug-reader', description: 'Plug the reader back in' },
  { name: 'service-down', description: 'Stop the smart-card service' },
  { name: 'service-up', description: 'Start the smart-card service again' },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
