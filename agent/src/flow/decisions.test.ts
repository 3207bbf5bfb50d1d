import { describe, expect, it } from 'vitest';
import { agentError, fail, ok, type DriverStatus } from '@kiosk/protocol';
import { certificateRule } from '../rules/certificate.ts';
import { newSession, type Session } from './context.ts';
import {
  afterCertificateLookup,
  afterCertificateRead,
  afterFace,
  afterPin,
  afterRead,
  applyEligibility,
  authMethods,
  canAskPin,
  canAskVisual,
  consentAnswers,
  faceUsable,
  needsLastTryConfirmation,
  nextAfterResult,
  offeredConsents,
  pinRefusal,
  type CardRead,
} from './decisions.ts';
import { defaultFlowConfig } from './config.ts';
import { birthYearPrefix, maskName } from './privacy.ts';
import { certificateFor, fakeCard } from './flow.test-support.ts';

const now = new Date('2026-11-22T01:00:00Z');
const withCard = (pinTriesLeft: number | undefined, pinFailures = 0): Session => {
  const base = newSession('s', now, 'card');
  const card = fakeCard();
  return {
    ...base,
    pinFailures,
    card: {
      reader: 'r',
      channel: {} as never,
      card,
      kind: 'my-number-card',
      hasPin: pinTriesLeft !== undefined,
      ...(pinTriesLeft !== undefined ? { pinTriesLeft } : {}),
      certDer: new Uint8Array(),
      certificate: certificateFor({}, now),
      certificateStatus: 'valid',
    },
  };
};
const read = (o: Partial<CardRead> = {}): CardRead => ({
  reader: 'r',
  channel: {} as never,
  card: fakeCard(),
  kind: 'my-number-card',
  pinTriesLeft: 3,
  certDer: new Uint8Array(),
  certificate: certificateFor({}, now),
  ...o,
});

describe('PIN guards', () => {
  it('asks a PIN only with tries left, a PIN on the card, and fewer than two failures', () => {
    expect(canAskPin(withCard(3))).toBe(true);
    expect(canAskPin(withCard(0))).toBe(false);
    expect(canAskPin(withCard(undefined))).toBe(false);
    expect(canAskPin(withCard(3, 2))).toBe(false);
    expect(pinRefusal(withCard(undefined))?.code).toBe('PIN_NOT_AVAILABLE');
    expect(pinRefusal(withCard(0))?.code).toBe('PIN_BLOCKED');
    expect(pinRefusal(withCard(3, 2))?.code).toBe('PIN_TOO_MANY_FAILURES');
  });

  it('needs a confirmation only for the last try, once', () => {
    expect(needsLastTryConfirmation(withCard(1))).toBe(true);
    expect(needsLastTryConfirmation({ ...withCard(1), lastTryConfirmed: true })).toBe(false);
    expect(needsLastTryConfirmation(withCard(2))).toBe(false);
  });

  it('routes wrong PINs: retry, then staff at two failures, staff when blocked', () => {
    const once = afterPin(withCard(3), fail('PIN_INCORRECT', undefined, { triesLeft: 2 }), now);
    expect(once.to).toBe('pin');
    expect(once.session.card?.pinTriesLeft).toBe(2);
    const twice = afterPin(once.session, fail('PIN_INCORRECT', undefined, { triesLeft: 1 }), now);
    expect([twice.to, twice.session.staff?.reason]).toEqual(['staff', 'pin-failures']);
    expect(afterPin(withCard(1), fail('PIN_BLOCKED'), now).session.staff?.reason).toBe('pin-blocked');
    const success = afterPin(withCard(2), ok(undefined), now);
    expect([success.to, success.session.authMethod, success.session.card?.pinTriesLeft]).toEqual(['proving', 'pin', 3]);
  });
});

describe('face result routing', () => {
  it('after a face mismatch, a patient with a card chooses again (PIN or 目視); on a face-first reader, tries there again', () => {
    const mismatch = afterFace(withCard(3), fail('FACE_NOT_MATCHED'), defaultFlowConfig, now);
    expect([mismatch.to, mismatch.session.error?.code, mismatch.session.staff]).toEqual(['choose-auth', 'FACE_NOT_MATCHED', undefined]);
    for (const code of ['FACE_NOT_MATCHED', 'ELIGIBILITY_TIMEOUT', 'ELIGIBILITY_SERVICE_ERROR'] as const) {
      const noCard = afterFace(newSession('s', now, 'reader'), fail(code), defaultFlowConfig, now);
      expect([noCard.to, noCard.session.error?.code, noCard.session.staff], code).toEqual(['error', code, undefined]);
    }
  });

  it('sends other face failures to staff', () => {
    expect(afterFace(withCard(3), fail('ELIGIBILITY_SERVICE_ERROR'), defaultFlowConfig, now).session.staff?.reason).toBe('face-failed');
  });
});

describe('face authentication offer', () => {
  const status = (oqsState: 'present' | 'unavailable'): DriverStatus => ({
    driver: 'pcsc+oqs',
    service: 'ok',
    readers: [
      { name: 'ACS ACR39U', driver: 'pcsc', state: 'present' },
      { name: '資格確認端末', driver: 'oqs', state: oqsState },
    ],
  });
  it('is offered when the driver can do it and its face part is up', () => {
    expect(faceUsable(true, status('present'))).toBe(true);
  });
  it('is withdrawn while the 資格確認端末 part is down, the card path staying', () => {
    expect(faceUsable(true, status('unavailable'))).toBe(false);
  });
  it('is never offered by a driver without face authentication', () => {
    expect(faceUsable(false, status('present'))).toBe(false);
  });
});

describe('card read routing', () => {
  it('routes by kind, chain, certificate state and PIN state', () => {
    const s = newSession('s', now, 'card');
    expect(afterRead(s, ok(read()), certificateRule, now).to).toBe('choose-auth');
    expect(afterRead(s, ok(read({ kind: 'juki-card' })), certificateRule, now).session.error?.code).toBe('CARD_NOT_MYNUMBER');
    expect(afterRead(s, ok(read({ pinTriesLeft: 0 })), certificateRule, now).session.staff?.reason).toBe('pin-blocked');
    expect(afterRead(s, ok(read({ certificate: certificateFor({ chain: 'untrusted' }, now) })), certificateRule, now).session.staff?.reason).toBe(
      'certificate-untrusted',
    );
    expect(afterRead(s, ok(read({ certificate: certificateFor({ status: 'expired' }, now) })), certificateRule, now).session.fallback?.reason).toBe(
      'certificate-expired',
    );
    const grace = afterRead(s, ok(read({ certificate: certificateFor({ status: 'grace' }, now) })), certificateRule, now);
    expect([grace.to, grace.session.sharingAllowed]).toEqual(['choose-auth', false]);
    expect(afterRead(s, ok(read({ kind: 'android', certificate: certificateFor({ status: 'grace' }, now) })), certificateRule, now).to).toBe('manual');
    expect(afterRead(s, fail('CERT_MALFORMED'), certificateRule, now).session.staff?.reason).toBe('certificate-untrusted');
    expect(afterRead(s, fail('CARD_UNRESPONSIVE'), certificateRule, now).to).toBe('error');
  });
});

describe('a phone token whose certificate is readable only after the PIN', () => {
  const s = newSession('s', now, 'card');
  const hidden = (o: Partial<CardRead> = {}): CardRead => ({ ...read({ kind: 'android', ...o }), certDer: undefined, certificate: undefined });
  const identified = afterRead(s, ok(hidden()), certificateRule, now);
  const verified = afterPin(identified.session, ok(undefined), now);
  const certificateRead = (status: 'valid' | 'expiring' | 'grace' | 'expired', chain: 'trusted' | 'untrusted' = 'trusted') =>
    afterCertificateRead(verified.session, ok({ certDer: new Uint8Array([1]), certificate: certificateFor({ status, chain }, now) }), certificateRule, now);

  it('is identified without its certificate and offered the PIN only', () => {
    expect([identified.to, identified.session.card?.kind, identified.session.card?.certificate]).toEqual(['choose-auth', 'android', undefined]);
    expect(authMethods(identified.session, true)).toEqual(['pin']);
    expect(canAskVisual(identified.session)).toBe(false);
    expect(afterRead(s, ok(hidden({ pinTriesLeft: 0 })), certificateRule, now).session.staff?.reason).toBe('pin-blocked');
  });

  it('reads its certificate after a correct PIN, then proves possession', () => {
    expect([verified.to, verified.session.authMethod]).toEqual(['reading-certificate', 'pin']);
    const valid = certificateRead('valid');
    expect([valid.to, valid.session.card?.certificateStatus, valid.session.card?.certificate?.serialHex, valid.session.sharingAllowed]).toEqual([
      'proving',
      'valid',
      '0a1b2c',
      true,
    ]);
    expect(certificateRead('expiring').session.notices).toContain('certificate-expiring');
  });

  it('applies the card checks to that certificate: untrusted → staff, expired or in grace → manual path', () => {
    expect(certificateRead('valid', 'untrusted').session.staff?.reason).toBe('certificate-untrusted');
    for (const status of ['expired', 'grace'] as const) {
      const refused = certificateRead(status);
      expect([refused.to, refused.session.fallback?.reason, refused.session.card?.certificateStatus]).toEqual(['manual', 'certificate-expired', 'expired']);
    }
    expect(afterCertificateRead(verified.session, fail('CERT_MALFORMED'), certificateRule, now).session.staff?.reason).toBe('certificate-untrusted');
    expect(afterCertificateRead(verified.session, fail('CARD_UNRESPONSIVE'), certificateRule, now).to).toBe('error');
  });

  it('a card, and a phone whose certificate is readable, keep every method', () => {
    for (const kind of ['my-number-card', 'iphone'] as const)
      expect(authMethods(afterRead(s, ok(read({ kind })), certificateRule, now).session, true)).toEqual(['face', 'pin', 'staff']);
  });
});

describe('eligibility routing', () => {
  it('maps registration and outcomes to the next step', () => {
    const s = withCard(3);
    expect(afterCertificateLookup(s, ok({ registration: 'unregistered' }), defaultFlowConfig, now).to).toBe('registration-offer');
    expect(
      afterCertificateLookup({ ...s, registration: { agreed: true, done: true } }, ok({ registration: 'unregistered' }), defaultFlowConfig, now).session.staff
        ?.reason,
    ).toBe('registration-failed');
    expect(afterCertificateLookup(s, ok({ registration: 'lost' }), defaultFlowConfig, now).session.staff?.reason).toBe('card-lost');
    for (const [outcome, reason] of [
      ['invalid', 'eligibility-invalid'],
      ['not-found', 'eligibility-not-found'],
      ['multiple', 'eligibility-multiple'],
      ['error', 'eligibility-error'],
    ] as const) {
      const found = { eligibility: { outcome, source: 'certificate' as const, people: [] } };
      expect(afterCertificateLookup(s, ok({ registration: 'registered', found }), defaultFlowConfig, now).session.staff?.reason).toBe(reason);
    }
    expect(afterCertificateLookup(s, { ok: false, error: agentError('OQS_FOLDER_UNAVAILABLE') }, defaultFlowConfig, now).session.fallback?.reason).toBe(
      'oqs-unavailable',
    );
  });
});

describe('consents and masking', () => {
  it('offers 診療 and 手術 only when enabled, and needs an answer for every offered item', () => {
    expect(offeredConsents(defaultFlowConfig)).toEqual(['medication', 'checkup']);
    expect(offeredConsents({ ...defaultFlowConfig, consent: { diagnosis: true, operation: false } })).toEqual(['diagnosis', 'medication', 'checkup']);
    expect(consentAnswers(['medication', 'checkup'], { type: 'consent', all: true })).toEqual(ok({ medication: true, checkup: true }));
    expect(consentAnswers(['medication', 'checkup'], { type: 'consent', items: { medication: true } }).ok).toBe(false);
    expect(consentAnswers(['medication'], { type: 'consent', items: { medication: false, operation: true } })).toEqual(ok({ medication: false }));
  });

  it('reuses a consent of the last 24 hours for a returning patient only: a first visit is asked, and told nothing about it', () => {
    const person = { name: '試験 太郎', birthDate: '19800401', insurerNumber: '06130012', number: '1234', copayPercent: 30 };
    const priorConsent = { given: { medication: true, checkup: false }, recordedAt: now };
    const eligibility = { outcome: 'valid' as const, source: 'certificate' as const, people: [person] };
    const returning = applyEligibility(withCard(3), { eligibility, priorConsent, knownPatientNumber: '000007' }, defaultFlowConfig, now);
    expect([returning.to, returning.session.consent?.reused, returning.session.notices]).toEqual(['result', true, ['consent-reused']]);
    const first = applyEligibility(withCard(3), { eligibility, priorConsent }, defaultFlowConfig, now);
    expect([first.session.consent?.given, first.session.notices, nextAfterResult(first.session, defaultFlowConfig).to]).toEqual([undefined, [], 'new-patient']);
  });

  it("records the reader's own consents before the result, unless sharing is not offered", () => {
    const person = { name: '試験 太郎', birthDate: '19800401', insurerNumber: '06130012', number: '1234', copayPercent: 30 };
    const eligibility = { outcome: 'valid' as const, source: 'face' as const, people: [person], consents: { medication: true, checkup: true } };
    const asked = applyEligibility(withCard(3), { eligibility }, defaultFlowConfig, now);
    expect([asked.to, asked.session.consent?.given, asked.session.consent?.recordedAt]).toEqual(['recording-reader-consent', eligibility.consents, undefined]);
    const grace = applyEligibility({ ...withCard(3), sharingAllowed: false }, { eligibility }, defaultFlowConfig, now);
    expect([grace.to, grace.session.consent]).toEqual(['result', { offered: [] }]);
  });

  it('masks the name and keeps two digits of the birth year', () => {
    expect(maskName('試験 太郎')).toBe('試＊ ＊＊');
    expect(maskName('山田　花子')).toBe('山＊ ＊＊');
    expect(maskName('ヤマダ')).toBe('ヤ＊＊');
    expect(birthYearPrefix('19800401')).toBe('19');
  });
});
