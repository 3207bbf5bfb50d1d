import { describe, expect, it } from 'vitest';
import { agentError, fail, ok } from '@kiosk/protocol';
import { certificateRule } from '../rules/certificate.ts';
import { newSession, type Session } from './context.ts';
import { afterCertificateLookup, afterPin, afterRead, canAskPin, consentAnswers, needsLastTryConfirmation, offeredConsents, pinRefusal, type CardRead } from './decisions.ts';
import { defaultFlowConfig } from './config.ts';
import { birthYearPrefix, maskName } from './privacy.ts';
import { certificateFor, fakeCard } from './test-fakes.ts';

const now = new Date('2026-11-22T01:00:00Z');
const withCard = (pinTriesLeft: number | undefined, pinFailures = 0): Session => {
  const base = newSession('s', now, 'card', 'choose-auth');
  const card = fakeCard();
  return {
    ...base,
    pinFailures,
    card: { reader: 'r', channel: {} as never, card, kind: 'my-number-card', hasPin: pinTriesLeft !== undefined, ...(pinTriesLeft !== undefined ? { pinTriesLeft } : {}), certDer: new Uint8Array(), certificate: certificateFor({}, now), certificateStatus: 'valid' },
  };
};
const read = (o: Partial<CardRead> = {}): CardRead => ({ reader: 'r', channel: {} as never, card: fakeCard(), kind: 'my-number-card', pinTriesLeft: 3, certDer: new Uint8Array(), certificate: certificateFor({}, now), ...o });

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
    expect(once.next).toBe('pin');
    expect(once.card?.pinTriesLeft).toBe(2);
    const twice = afterPin(once, fail('PIN_INCORRECT', undefined, { triesLeft: 1 }), now);
    expect(twice.staff?.reason).toBe('pin-failures');
    expect(afterPin(withCard(1), fail('PIN_BLOCKED'), now).staff?.reason).toBe('pin-blocked');
    const success = afterPin(withCard(2), ok(undefined), now);
    expect([success.next, success.authMethod, success.card?.pinTriesLeft]).toEqual(['proving', 'pin', 3]);
  });
});

describe('card read routing', () => {
  it('routes by kind, chain, certificate state and PIN state', () => {
    const s = newSession('s', now, 'card', 'reading');
    expect(afterRead(s, ok(read()), certificateRule, now).next).toBe('choose-auth');
    expect(afterRead(s, ok(read({ kind: 'juki-card' })), certificateRule, now).error?.code).toBe('CARD_NOT_MYNUMBER');
    expect(afterRead(s, ok(read({ pinTriesLeft: 0 })), certificateRule, now).staff?.reason).toBe('pin-blocked');
    expect(afterRead(s, ok(read({ certificate: certificateFor({ chain: 'untrusted' }, now) })), certificateRule, now).staff?.reason).toBe('certificate-untrusted');
    expect(afterRead(s, ok(read({ certificate: certificateFor({ status: 'expired' }, now) })), certificateRule, now).fallback?.reason).toBe('certificate-expired');
    const grace = afterRead(s, ok(read({ certificate: certificateFor({ status: 'grace' }, now) })), certificateRule, now);
    expect([grace.next, grace.sharingAllowed]).toEqual(['choose-auth', false]);
    expect(afterRead(s, ok(read({ kind: 'android', certificate: certificateFor({ status: 'grace' }, now) })), certificateRule, now).next).toBe('manual');
    expect(afterRead(s, fail('CERT_MALFORMED'), certificateRule, now).staff?.reason).toBe('certificate-untrusted');
    expect(afterRead(s, fail('CARD_UNRESPONSIVE'), certificateRule, now).next).toBe('error');
  });
});

describe('eligibility routing', () => {
  it('maps registration and outcomes to the next step', () => {
    const s = withCard(3);
    expect(afterCertificateLookup(s, ok({ registration: 'unregistered' }), defaultFlowConfig, now).next).toBe('registration-offer');
    expect(afterCertificateLookup({ ...s, registration: { agreed: true, done: true } }, ok({ registration: 'unregistered' }), defaultFlowConfig, now).staff?.reason).toBe('registration-failed');
    expect(afterCertificateLookup(s, ok({ registration: 'lost' }), defaultFlowConfig, now).staff?.reason).toBe('card-lost');
    for (const [outcome, reason] of [['invalid', 'eligibility-invalid'], ['not-found', 'eligibility-not-found'], ['multiple', 'eligibility-multiple'], ['error', 'eligibility-error']] as const) {
      const found = { eligibility: { outcome, source: 'certificate' as const, people: [] } };
      expect(afterCertificateLookup(s, ok({ registration: 'registered', found }), defaultFlowConfig, now).staff?.reason).toBe(reason);
    }
    expect(afterCertificateLookup(s, { ok: false, error: agentError('OQS_FOLDER_UNAVAILABLE') }, defaultFlowConfig, now).fallback?.reason).toBe('oqs-unavailable');
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

  it('masks the name and keeps two digits of the birth year', () => {
    expect(maskName('試験 太郎')).toBe('試＊ ＊＊');
    expect(maskName('山田　花子')).toBe('山＊ ＊＊');
    expect(maskName('ヤマダ')).toBe('ヤ＊＊');
    expect(birthYearPrefix('19800401')).toBe('19');
  });
});
