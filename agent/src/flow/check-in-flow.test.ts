import { agentError, fail, type Result } from '@kiosk/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowEventSchema, FlowSnapshotSchema } from '@kiosk/protocol';
import { CORRECT_PIN, createHarness, faceResult, fakeCard, settle } from './flow.test-support.ts';
import { openDatabase } from '../storage/db.ts';
import { createCheckInStore } from '../storage/checkins.ts';
import { createStaffBoardStore } from '../storage/staff.ts';
import { japanDate } from '../clock.ts';

async function startedWithCard(options: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness(options);
  h.flow.start();
  const card = h.insert();
  await settle();
  return { ...h, card };
}

async function pinThrough(h: Awaited<ReturnType<typeof startedWithCard>>, pin = CORRECT_PIN) {
  expect(h.flow.send({ type: 'choose-auth', method: 'pin' }).ok).toBe(true);
  expect(h.flow.send({ type: 'submit-pin', pin }).ok).toBe(true);
  await settle();
}

// The first test loads xstate and the rules lazily; on a loaded shared machine that alone can pass 5 s.
vi.setConfig({ testTimeout: 60_000 });

afterEach(() => {
  vi.useRealTimers();
});

describe('card path with PIN', () => {
  it('goes welcome → reading → choose-auth → pin → result → consent → completed with a queue number', async () => {
    const h = await startedWithCard();
    expect(h.step()).toBe('choose-auth');
    expect(h.flow.snapshot().auth).toMatchObject({ methods: ['pin', 'staff'], pinTriesLeft: 3, pinFailures: 0, purpose: 'check-in' });
    await pinThrough(h);
    expect(h.proofs).toHaveLength(1);
    expect(h.step()).toBe('result');
    const result = h.flow.snapshot();
    expect(result.patient).toEqual({ maskedName: '試＊ ＊＊', birthYearPrefix: '19', isNewPatient: true, copayPercent: 30 });
    expect(h.flow.send({ type: 'continue' }).ok).toBe(true);
    expect(h.step()).toBe('new-patient');
    expect(h.flow.send({ type: 'new-patient', confirmed: true, phone: '090-1234-5678' }).ok).toBe(true);
    expect(h.step()).toBe('consent');
    expect(h.flow.snapshot().consent?.offered).toEqual(['medication', 'checkup']);
    expect(h.flow.send({ type: 'consent', all: true }).ok).toBe(true);
    expect(h.step()).toBe('completed');
    expect(h.flow.snapshot().queueNumber).toBe(1);
    const types = h.events().map((e) => e.type);
    expect(types).toEqual(
      ['session-started', 'card-read', 'certificate', 'authentication', 'eligibility', 'consent', 'completed'].filter((t) => (types as string[]).includes(t)),
    );
    expect(types).toEqual(expect.arrayContaining(['card-read', 'certificate', 'authentication', 'eligibility', 'consent', 'completed']));
    for (const { snapshot, event } of h.received) {
      expect(FlowSnapshotSchema.safeParse(snapshot).success).toBe(true);
      if (event) expect(FlowEventSchema.safeParse(event).success).toBe(true);
    }
  });

  it('a second visit within 24 h reuses the consent and knows the patient; queue numbers count up', async () => {
    const store = createCheckInStore(openDatabase(':memory:'));
    const first = await startedWithCard({ store });
    await pinThrough(first);
    first.flow.send({ type: 'continue' });
    first.flow.send({ type: 'new-patient', confirmed: true });
    first.flow.send({ type: 'consent', items: { medication: true, checkup: false } });
    expect(first.flow.snapshot().queueNumber).toBe(1);
    await first.flow.stop();

    const second = await startedWithCard({ store });
    await pinThrough(second);
    const snap = second.flow.snapshot();
    expect(snap.notices).toContain('consent-reused');
    expect(snap.consent?.given).toEqual({ medication: true, checkup: false });
    expect(snap.patient?.isNewPatient).toBe(false);
    second.flow.send({ type: 'continue' });
    expect(second.step()).toBe('completed');
    expect(second.flow.snapshot().queueNumber).toBe(2);
    expect(second.events().find((e) => e.type === 'consent')).toMatchObject({ reused: true });
  });

  it('asks 電子処方箋 or paper only when the clinic uses e-prescriptions', async () => {
    const h = await startedWithCard({ config: { ePrescription: true, consent: { diagnosis: true, operation: true } } });
    await pinThrough(h);
    h.flow.send({ type: 'continue' });
    h.flow.send({ type: 'new-patient', confirmed: true });
    expect(h.flow.snapshot().consent?.offered).toEqual(['diagnosis', 'medication', 'checkup', 'operation']);
    expect(errorCode(h.flow.send({ type: 'consent', items: { medication: true } }))).toBe('INPUT_INVALID');
    h.flow.send({ type: 'consent', all: false });
    expect(h.step()).toBe('prescription');
    h.flow.send({ type: 'prescription', choice: 'electronic' });
    expect(h.step()).toBe('completed');
  });
});

describe('PIN guard', () => {
  it('with one try left, warns before the keypad and the PIN is typed once', async () => {
    const h = await startedWithCard({ card: { triesLeft: 1 } });
    expect(h.flow.snapshot().auth?.pinTriesLeft).toBe(1);
    h.flow.send({ type: 'choose-auth', method: 'pin' });
    expect(h.step()).toBe('pin-confirm-last-try');
    // The screen itself is the warning: no error repeating it.
    expect(h.flow.snapshot().error).toBeUndefined();
    expect(h.flow.snapshot().can).not.toContain('submit-pin');
    h.flow.send({ type: 'confirm-last-try', confirm: true });
    expect(h.step()).toBe('pin');
    h.flow.send({ type: 'submit-pin', pin: CORRECT_PIN });
    await settle();
    expect(h.card.verifyCalls).toBe(1);
    expect(h.step()).toBe('result');
  });

  it('a wrong PIN that leaves one try warns before the keypad comes back', async () => {
    const h = await startedWithCard({ card: { triesLeft: 2 } });
    await pinThrough(h, '0000');
    expect(h.step()).toBe('pin-confirm-last-try');
    expect(h.flow.snapshot().error).toMatchObject({ code: 'PIN_INCORRECT', details: { triesLeft: 1 } });
    h.flow.send({ type: 'confirm-last-try', confirm: true });
    expect(h.step()).toBe('pin');
    h.flow.send({ type: 'submit-pin', pin: CORRECT_PIN });
    await settle();
    expect(h.card.verifyCalls).toBe(2);
    expect(h.step()).toBe('result');
  });

  it('declining the last try returns to the choice with staff offered', async () => {
    const h = await startedWithCard({ card: { triesLeft: 1 } });
    h.flow.send({ type: 'choose-auth', method: 'pin' });
    h.flow.send({ type: 'confirm-last-try', confirm: false });
    expect(h.step()).toBe('choose-auth');
    expect(h.flow.snapshot().auth?.methods).toContain('staff');
    expect(h.card.verifyCalls).toBe(0);
  });

  it('routes to staff after two wrong PINs and never auto-retries', async () => {
    const h = await startedWithCard();
    await pinThrough(h, '0000');
    expect(h.step()).toBe('pin');
    expect(h.flow.snapshot().error).toMatchObject({ code: 'PIN_INCORRECT', details: { triesLeft: 2 } });
    expect(h.card.verifyCalls).toBe(1);
    h.flow.send({ type: 'submit-pin', pin: '1111' });
    await settle();
    expect(h.step()).toBe('staff');
    expect(h.flow.snapshot().staff?.reason).toBe('pin-failures');
    expect(h.card.triesLeft).toBe(1);
    expect(h.flow.send({ type: 'submit-pin', pin: CORRECT_PIN }).ok).toBe(false);
    expect(h.card.verifyCalls).toBe(2);
  });

  it('a blocked PIN goes to staff and a PIN is never asked', async () => {
    const h = await startedWithCard({ card: { triesLeft: 0 } });
    expect(h.step()).toBe('staff');
    expect(h.flow.snapshot().staff?.reason).toBe('pin-blocked');
    expect(h.flow.snapshot().auth?.methods).not.toContain('pin');
    expect(h.flow.send({ type: 'choose-auth', method: 'pin' }).ok).toBe(false);
    // The desk may still confirm the patient by the card's photo, take over, or finish at the desk.
    expect(h.flow.acceptedStaffActions(h.flow.snapshot().sessionId!)).toEqual(['approve-visual', 'decline-visual', 'take-over', 'completed-at-desk']);
  });

  it('a face-only card is never offered the PIN; staff approve 目視 and the check-in continues', async () => {
    const h = await startedWithCard({ card: { triesLeft: undefined } });
    expect(h.flow.snapshot().card).toEqual({ kind: 'my-number-card', hasPin: false });
    expect(h.flow.snapshot().auth?.methods).toEqual(['staff']);
    expect(errorCode(h.flow.send({ type: 'choose-auth', method: 'pin' }))).toBe('PIN_NOT_AVAILABLE');
    h.flow.send({ type: 'choose-auth', method: 'visual' });
    expect(h.step()).toBe('visual-check');
    const sessionId = h.flow.snapshot().sessionId!;
    expect(h.flow.acceptedStaffActions(sessionId)).toEqual(['approve-visual', 'decline-visual', 'take-over']);
    expect(h.flow.acceptedStaffActions('other')).toEqual([]);
    expect(errorCode(h.flow.staffAction({ type: 'approve-visual', sessionId: 'other', staffId: 'st1' }))).toBe('INPUT_STALE_SESSION');
    expect(h.flow.staffAction({ type: 'approve-visual', sessionId, staffId: 'st1' }).ok).toBe(true);
    await settle();
    expect(h.step()).toBe('result');
    expect(h.proofs).toHaveLength(0);
  });

  it('decline-visual leaves the session with staff (visual-declined)', async () => {
    const h = await startedWithCard({ card: { triesLeft: undefined } });
    h.flow.send({ type: 'choose-auth', method: 'visual' });
    h.flow.staffAction({ type: 'decline-visual', sessionId: h.flow.snapshot().sessionId!, staffId: 'st1' });
    expect(h.flow.snapshot().staff?.reason).toBe('visual-declined');
  });
});

describe('identification and certificates', () => {
  it('another card → error CARD_NOT_MYNUMBER; removing it returns to welcome', async () => {
    const h = await startedWithCard({ card: { kind: 'juki-card' } });
    expect(h.step()).toBe('error');
    expect(h.flow.snapshot().error?.code).toBe('CARD_NOT_MYNUMBER');
    h.driver.remove();
    expect(h.step()).toBe('welcome');
  });

  it('smartphone tokens take the card path', async () => {
    const h = await startedWithCard({ card: { kind: 'iphone' } });
    expect(h.flow.snapshot().card?.kind).toBe('iphone');
    expect(h.step()).toBe('choose-auth');
  });

  it('expiring → renewal notice; grace → no sharing offered; expired → fallback; untrusted → staff', async () => {
    const expiring = await startedWithCard({ card: { status: 'expiring' } });
    expect(expiring.flow.snapshot().notices).toContain('certificate-expiring');

    const grace = await startedWithCard({ card: { status: 'grace' } });
    await pinThrough(grace);
    expect(grace.flow.snapshot().notices).toEqual(expect.arrayContaining(['certificate-grace', 'sharing-not-offered']));
    expect(grace.flow.snapshot().consent?.offered).toEqual([]);
    grace.flow.send({ type: 'continue' });
    grace.flow.send({ type: 'new-patient', confirmed: true });
    expect(grace.step()).toBe('completed');

    const phoneGrace = await startedWithCard({ card: { status: 'grace', kind: 'android' } });
    expect(phoneGrace.step()).toBe('fallback');

    const expired = await startedWithCard({ card: { status: 'expired' } });
    expect(expired.step()).toBe('fallback');
    expect(expired.flow.snapshot().fallback?.reason).toBe('certificate-expired');

    const untrusted = await startedWithCard({ card: { chain: 'untrusted' } });
    expect(untrusted.flow.snapshot().staff?.reason).toBe('certificate-untrusted');
  });
});

describe('a phone token whose certificate is readable only after the PIN', () => {
  it('offers the PIN only, then reads and checks the certificate, proves possession and looks up eligibility', async () => {
    const h = await startedWithCard({ capabilities: { cardIo: true, faceAuth: true }, card: { kind: 'android', certAfterPin: true } });
    expect(h.step()).toBe('choose-auth');
    expect(h.flow.snapshot().auth?.methods).toEqual(['pin']);
    expect(h.flow.snapshot().certificate).toBeUndefined();
    expect(errorCode(h.flow.send({ type: 'choose-auth', method: 'visual' }))).toBe('INPUT_NOT_ALLOWED_NOW');
    expect(errorCode(h.flow.send({ type: 'choose-auth', method: 'face' }))).toBe('INPUT_NOT_ALLOWED_NOW');
    await pinThrough(h);
    expect([h.card.certReads, h.proofs.length]).toEqual([1, 1]);
    expect(h.step()).toBe('result');
    expect(h.flow.snapshot().certificate?.status).toBe('valid');
    const types = h.events().map((e) => e.type);
    expect(types.filter((t) => ['card-read', 'authentication', 'certificate', 'eligibility'].includes(t))).toEqual([
      'card-read',
      'authentication',
      'certificate',
      'eligibility',
    ]);
  });

  it('an expired phone certificate read after the PIN goes to the manual path, unproved', async () => {
    const h = await startedWithCard({ card: { kind: 'android', certAfterPin: true, status: 'expired' } });
    await pinThrough(h);
    expect(h.step()).toBe('fallback');
    expect(h.flow.snapshot().fallback?.reason).toBe('certificate-expired');
    expect(h.proofs).toHaveLength(0);
  });
});

describe('eligibility and registration', () => {
  it('an unregistered card is offered 利用登録, registered, and the check-in continues', async () => {
    const h = await startedWithCard({ registry: new Map([['0a1b2c', 'unregistered']]) });
    await pinThrough(h);
    expect(h.step()).toBe('registration-offer');
    expect(h.flow.send({ type: 'registration', agree: true }).ok).toBe(true);
    await settle();
    expect(h.step()).toBe('result');
    expect(h.flow.snapshot().registration).toEqual({ agreed: true, done: true });
    expect(
      h
        .events()
        .filter((e) => e.type === 'registration')
        .map((e) => (e as { stage: string }).stage),
    ).toEqual(['offered', 'agreed', 'registered']);
  });

  it('a lost card goes to staff (card-lost)', async () => {
    const h = await startedWithCard({ registry: new Map([['0a1b2c', 'lost']]) });
    await pinThrough(h);
    expect(h.flow.snapshot().staff?.reason).toBe('card-lost');
  });
});

describe('face, then the PIN', () => {
  it('after a face mismatch, face again starts clean, and "use the PIN" on the face screen is accepted', async () => {
    const h = await startedWithCard({ capabilities: { cardIo: true, faceAuth: true } });
    h.driver.faceResults.push(fail('FACE_NOT_MATCHED'));
    expect(h.flow.send({ type: 'choose-auth', method: 'face' }).ok).toBe(true);
    await settle();
    expect(h.flow.snapshot()).toMatchObject({ step: 'choose-auth', error: { code: 'FACE_NOT_MATCHED' } });

    h.driver.holdFace = true;
    expect(h.flow.send({ type: 'choose-auth', method: 'face' }).ok).toBe(true);
    const face = h.flow.snapshot();
    expect(face.step).toBe('face');
    expect(face.error).toBeUndefined();
    expect(face.can).toContain('choose-auth');
    expect(face.auth?.methods).toContain('pin');
    expect(h.flow.send({ type: 'choose-auth', method: 'pin' })).toEqual({ ok: true, value: undefined });
    expect(h.step()).toBe('pin');
    expect(h.flow.send({ type: 'submit-pin', pin: CORRECT_PIN }).ok).toBe(true);
    await settle();
    expect(h.step()).toBe('result');
  });
});

describe('no eligibility source for certificates (a clinic on --driver pcsc)', () => {
  it('PIN and proof of possession verify the identity; the desk confirms insurance, and nothing is invented', async () => {
    const h = await startedWithCard({ certificateSource: false });
    await pinThrough(h);
    expect(h.proofs).toHaveLength(1);
    expect(h.step()).toBe('staff');
    const snap = h.flow.snapshot();
    expect(snap.staff?.reason).toBe('insurance-pending');
    expect(snap.patient).toBeUndefined();
    expect(snap.eligibility).toBeUndefined();
    expect(snap.queueNumber).toBeUndefined();
    // Identity is proven: no 目視 to offer, only the desk's completion or a take-over.
    expect(h.flow.acceptedStaffActions(snap.sessionId!)).toEqual(['take-over', 'completed-at-desk']);
    expect(h.events().map((e) => e.type)).not.toContain('eligibility');
    expect(h.events()).toContainEqual(expect.objectContaining({ type: 'authentication', method: 'pin', outcome: 'success' }));
    expect(h.events()).toContainEqual(expect.objectContaining({ type: 'staff-needed', reason: 'insurance-pending' }));
  });
});

describe('start without a card', () => {
  it('is offered only where the reader begins by itself (face-first), not beside a card reader of our own', () => {
    for (const [capabilities, offered] of [
      [{ cardIo: false, faceAuth: true }, true],
      [{ cardIo: true, faceAuth: true }, false],
      [{ cardIo: true, faceAuth: false }, false],
    ] as const) {
      const h = createHarness({ capabilities });
      h.flow.start();
      expect(h.flow.snapshot().can.includes('start'), JSON.stringify(capabilities)).toBe(offered);
      expect(h.flow.send({ type: 'start' }).ok).toBe(offered);
    }
  });
});

describe('oqs driver (no card I/O)', () => {
  it("start → face → result with the reader's consents and prescription → completed", async () => {
    const h = createHarness({ driverKind: 'oqs', capabilities: { cardIo: false, faceAuth: true }, config: { ePrescription: true } });
    h.driver.faceResults.push(faceResult({ consents: { medication: true, checkup: true }, prescription: 'paper', authMethod: 'face' }));
    h.flow.start();
    h.driver.insert(fakeCard()); // oqs has no card I/O: a card event does not start a session
    expect(h.step()).toBe('welcome');
    expect(h.flow.send({ type: 'start' }).ok).toBe(true);
    expect(h.step()).toBe('face');
    await settle();
    expect(h.step()).toBe('result');
    expect(h.flow.snapshot().consent?.given).toEqual({ medication: true, checkup: true });
    h.flow.send({ type: 'continue' });
    h.flow.send({ type: 'new-patient', confirmed: true });
    expect(h.step()).toBe('completed');
    expect(h.events().find((e) => e.type === 'eligibility')).toMatchObject({ source: 'face' });
  });

  it('writes the 照会番号 request for a new patient when configured', async () => {
    const register = vi.fn(async () => ({ ok: true as const, value: undefined }));
    const h = createHarness({ driverKind: 'oqs', capabilities: { cardIo: false, faceAuth: true }, registerReferenceNumber: register });
    h.driver.faceResults.push(faceResult({ consents: { medication: true, checkup: true } }));
    h.flow.start();
    h.flow.send({ type: 'start' });
    await settle();
    h.flow.send({ type: 'continue' });
    h.flow.send({ type: 'new-patient', confirmed: true });
    expect(register).toHaveBeenCalledWith(expect.objectContaining({ patientNumber: '000001' }));
  });

  it('a failed or timed-out face check on the reader goes back to the patient, never to a face-failed staff call', async () => {
    for (const code of ['FACE_NOT_MATCHED', 'ELIGIBILITY_TIMEOUT'] as const) {
      const h = createHarness({ driverKind: 'oqs', capabilities: { cardIo: false, faceAuth: true } });
      h.driver.faceResults.push(fail(code));
      h.flow.start();
      h.flow.send({ type: 'start' });
      await settle();
      expect(h.flow.snapshot()).toMatchObject({ step: 'error', error: { code } });
      expect(h.flow.snapshot().staff).toBeUndefined();
      expect(h.events().map((e) => e.type)).not.toContain('staff-needed');
      h.flow.send({ type: 'continue' });
      expect(h.step()).toBe('welcome');
      expect(h.flow.snapshot().can).toContain('start');
    }
  });

  it('a review result goes to staff', async () => {
    const h = createHarness({ driverKind: 'oqs', capabilities: { cardIo: false, faceAuth: true } });
    h.driver.faceResults.push({ ok: false, error: { code: 'ELIGIBILITY_REVIEW', message: 'x', retriable: false } });
    h.flow.start();
    h.flow.send({ type: 'start' });
    await settle();
    expect(h.flow.snapshot().staff?.reason).toBe('eligibility-review');
  });

  it('invalid eligibility goes to staff with its reason', async () => {
    const h = createHarness({ driverKind: 'oqs', capabilities: { cardIo: false, faceAuth: true } });
    h.driver.faceResults.push(faceResult({ outcome: 'invalid-new-qualification' }));
    h.flow.start();
    h.flow.send({ type: 'start' });
    await settle();
    expect(h.flow.snapshot().staff?.reason).toBe('eligibility-new-qualification');
  });
});

describe('a screen acts only on its own session', () => {
  it('refuses a command naming an ended session and changes nothing; language and call-staff still work', async () => {
    const h = await startedWithCard();
    const first = h.flow.snapshot().sessionId!;
    h.driver.remove();
    h.insert();
    await settle();
    const current = h.flow.snapshot();
    expect(current.sessionId).not.toBe(first);
    expect(current.step).toBe('choose-auth');
    // A screen still showing the first patient (or the welcome screen) taps a choice.
    for (const stale of [first, null]) {
      const refused = h.flow.send({ type: 'choose-auth', method: 'pin', sessionId: stale });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INPUT_STALE_SESSION' } });
    }
    expect(h.flow.snapshot().seq).toBe(current.seq);
    expect(h.flow.send({ type: 'set-language', language: 'en', sessionId: first }).ok).toBe(true);
    expect(h.flow.send({ type: 'choose-auth', method: 'pin', sessionId: current.sessionId }).ok).toBe(true);
    expect(h.step()).toBe('pin');
    // A command without a session (a developer tool) is judged by the step alone, as before.
    expect(h.flow.send({ type: 'submit-pin', pin: CORRECT_PIN }).ok).toBe(true);
  });
});

describe('reset, reader loss and fallback', () => {
  it('card removal resets to welcome and leaves nothing personal', async () => {
    const h = await startedWithCard();
    await pinThrough(h);
    expect(h.flow.snapshot().patient).toBeDefined();
    h.driver.remove();
    const snap = h.flow.snapshot();
    expect(snap.step).toBe('welcome');
    expect(snap.sessionId).toBeNull();
    expect(Object.keys(snap).sort()).toEqual(['can', 'language', 'notices', 'reader', 'seq', 'sessionId', 'step']);
    expect(
      h
        .events()
        .slice(-2)
        .map((e) => e.type),
    ).toEqual(['card-removed', 'reset']);
  });

  it('reader lost → fallback; back by itself when the reader returns; manual path decides documents', async () => {
    const h = createHarness();
    h.flow.start();
    h.driver.setStatus({ driver: 'mock', service: 'unavailable', readers: [] });
    expect(h.step()).toBe('fallback');
    expect(h.flow.snapshot().fallback?.reason).toBe('reader-service-down');
    h.driver.restore();
    expect(h.step()).toBe('welcome');
    expect(h.flow.snapshot().notices).toEqual(['reader-restored']);

    h.driver.setStatus({ driver: 'mock', service: 'ok', readers: [] });
    expect(h.flow.snapshot().fallback?.reason).toBe('no-reader');
    h.flow.send({ type: 'fallback-documents', documents: ['myna_card', 'shikaku_joho_oshirase'] });
    const snap = h.flow.snapshot();
    expect(snap.step).toBe('fallback');
    expect(snap.fallback?.decision?.decision).toBe('conditional');
    expect(snap.staff?.reason).toBe('fallback-documents');
    expect(h.events()).toContainEqual(expect.objectContaining({ type: 'staff-needed', reason: 'fallback-documents' }));
    h.driver.restore();
    expect(h.step()).toBe('fallback'); // the patient started the manual path: it stays
  });

  it("records what the patient chose on the manual path and the rules' verdict, for the desk once the kiosk has moved on", () => {
    const db = openDatabase(':memory:');
    const h = createHarness({ store: createCheckInStore(db) });
    h.flow.start();
    h.flow.send({ type: 'manual-path' });
    const sessionId = h.flow.snapshot().sessionId!;
    h.flow.send({ type: 'fallback-documents', documents: ['myna_card', 'shikaku_joho_oshirase'] });
    expect(createStaffBoardStore(db).kioskDocuments(japanDate(new Date(h.flow.snapshot().startedAt!)))).toEqual(
      new Map([[sessionId, { documents: ['myna_card', 'shikaku_joho_oshirase'], decision: 'conditional' }]]),
    );
  });

  it('the manual path ends on its decision: no documents question again, the desk number when the desk gives one', async () => {
    const h = createHarness();
    h.flow.start();
    h.flow.send({ type: 'manual-path' });
    h.flow.send({ type: 'fallback-documents', documents: [] });
    const end = h.flow.snapshot();
    expect(end).toMatchObject({ step: 'fallback', fallback: { documents: [], decision: expect.any(Object) } });
    expect(end.can).not.toContain('fallback-documents');
    const sessionId = end.sessionId!;
    expect(h.flow.staffAction({ type: 'completed-at-desk', sessionId, staffId: 'st', queueNumber: 12 }).ok).toBe(true);
    expect(h.flow.snapshot()).toMatchObject({ step: 'completed', queueNumber: 12, sessionId });
    expect(h.events()).toContainEqual(expect.objectContaining({ type: 'completed', sessionId, queueNumber: 12 }));
  });

  it('three read errors in a row switch to the manual path', async () => {
    const h = await startedWithCard({ card: { identifyError: 'CARD_UNRESPONSIVE' } });
    expect(h.step()).toBe('error');
    h.driver.remove();
    h.insert();
    await settle();
    h.driver.remove();
    h.insert();
    await settle();
    expect(h.step()).toBe('fallback');
    expect(h.flow.snapshot().fallback?.reason).toBe('read-errors');
  });

  it('driver errors of the reader or the card count as read errors; others (a result file, storage) do not', async () => {
    const h = createHarness();
    h.flow.start();
    for (const code of ['OQS_FILE_MALFORMED', 'STORAGE_UNAVAILABLE', 'OQS_FILE_ENCODING'] as const)
      h.driver.events.emit({ type: 'error', error: agentError(code) });
    expect(h.step()).toBe('welcome');
    for (const code of ['READER_COMMUNICATION_FAILED', 'CARD_UNRESPONSIVE', 'READER_BUSY'] as const)
      h.driver.events.emit({ type: 'error', error: agentError(code) });
    expect(h.flow.snapshot()).toMatchObject({ step: 'fallback', fallback: { reason: 'read-errors' } });
  });

  it('reader lost mid-session drops the session and goes to fallback', async () => {
    const h = await startedWithCard();
    h.driver.setStatus({ driver: 'mock', service: 'unavailable', readers: [] });
    expect(h.step()).toBe('fallback');
    expect(h.flow.snapshot().sessionId).toBeNull();
  });

  it('call-staff from any step → staff (patient-request)', async () => {
    const h = await startedWithCard();
    h.flow.send({ type: 'call-staff' });
    expect(h.flow.snapshot().staff?.reason).toBe('patient-request');
    expect(h.step()).toBe('staff');
  });

  it('the idle safety timeout resets to welcome; the completed screen resets after its own delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const h = await startedWithCard({ config: { idleTimeoutMs: 1000, completedResetMs: 500 } });
    expect(h.step()).toBe('choose-auth');
    vi.advanceTimersByTime(999);
    expect(h.step()).toBe('choose-auth');
    vi.advanceTimersByTime(1);
    expect(h.step()).toBe('welcome');
    expect(h.events().at(-1)).toMatchObject({ type: 'reset', reason: 'timeout' });
  });

  it('refuses new check-ins with STORAGE_UNAVAILABLE when the store cannot write', async () => {
    const db = openDatabase(':memory:');
    const store = createCheckInStore(db);
    db.exec('DROP TABLE checkins'); // every write now fails like a broken disk
    const h = createHarness({ store });
    h.flow.start();
    h.insert();
    await settle();
    expect(h.step()).toBe('staff');
    expect(h.flow.snapshot().staff?.reason).toBe('storage-unavailable');
    expect(h.flow.snapshot().error?.code).toBe('STORAGE_UNAVAILABLE');
  });

  it('a failed write the next step depends on hands over to staff, and no screen is published before its answer', async () => {
    const failing = (write: 'registerPatient' | 'recordConsent' | 'completeCheckIn') => {
      const store = createCheckInStore(openDatabase(':memory:'));
      return { ...store, [write]: () => fail('STORAGE_UNAVAILABLE') };
    };
    for (const [write, failsAfter] of [
      ['registerPatient', 'new-patient'],
      ['recordConsent', 'consent'],
      ['completeCheckIn', 'consent'],
    ] as const) {
      const h = await startedWithCard({ store: failing(write) });
      await pinThrough(h);
      h.flow.send({ type: 'continue' });
      h.flow.send({ type: 'new-patient', confirmed: true });
      if (h.step() === 'consent') h.flow.send({ type: 'consent', all: true });
      expect(h.flow.snapshot(), write).toMatchObject({ step: 'staff', staff: { reason: 'storage-unavailable' }, error: { code: 'STORAGE_UNAVAILABLE' } });
      const steps = h.received.map((r) => r.snapshot.step);
      expect(
        steps.slice(steps.indexOf(failsAfter)).filter((step, i, all) => step !== all[i - 1]),
        write,
      ).toEqual([failsAfter, 'staff']);
      expect(
        h.events().map((e) => e.type),
        write,
      ).not.toContain('completed');
    }
    // The reader's own consents are recorded before the result is shown.
    const h = createHarness({ driverKind: 'oqs', capabilities: { cardIo: false, faceAuth: true }, store: failing('recordConsent') });
    h.driver.faceResults.push(faceResult({ consents: { medication: true, checkup: true } }));
    h.flow.start();
    h.flow.send({ type: 'start' });
    await settle();
    expect(h.flow.snapshot()).toMatchObject({ step: 'staff', staff: { reason: 'storage-unavailable' } });
    expect(h.received.map((r) => r.snapshot.step)).not.toContain('result');
    expect(h.events().map((e) => e.type)).not.toContain('consent');
  });

  it('publishes the completed screen only with its queue number', async () => {
    const h = await startedWithCard();
    await pinThrough(h);
    h.flow.send({ type: 'continue' });
    h.flow.send({ type: 'new-patient', confirmed: true });
    h.flow.send({ type: 'consent', all: true });
    const completed = h.received.filter((r) => r.snapshot.step === 'completed');
    expect(completed.length).toBeGreaterThan(0);
    for (const { snapshot } of completed) expect(snapshot.queueNumber).toBe(1);
  });

  it('records how a session ended: on the manual path as fallback, after calling staff from it as staff', async () => {
    const db = openDatabase(':memory:');
    const store = createCheckInStore(db);
    const status = (sessionId: string | null) => (db.prepare('SELECT status FROM checkins WHERE session_id = ?').get(sessionId) as { status: string }).status;
    const h = createHarness({ store });
    h.flow.start();
    h.flow.send({ type: 'manual-path' });
    const manual = h.flow.snapshot().sessionId;
    h.flow.send({ type: 'reset', reason: 'patient' });
    expect(status(manual)).toBe('fallback');
    h.flow.send({ type: 'manual-path' });
    const called = h.flow.snapshot().sessionId;
    h.flow.send({ type: 'call-staff' });
    expect(h.step()).toBe('staff');
    h.flow.send({ type: 'reset', reason: 'patient' });
    expect(status(called)).toBe('staff');
  });

  it('marks a session left in progress by a previous run as interrupted and tells staff', async () => {
    const db = openDatabase(':memory:');
    const store = createCheckInStore(db);
    const first = await startedWithCard({ store });
    const sessionId = first.flow.snapshot().sessionId;
    const second = createHarness({ store });
    second.flow.start();
    expect(second.events()).toContainEqual({ type: 'staff-needed', sessionId, reason: 'agent-restarted' });
    expect(db.prepare('SELECT status, interrupted FROM checkins WHERE session_id = ?').get(sessionId)).toEqual({ status: 'interrupted', interrupted: 1 });
  });

  it('never lets the PIN reach a snapshot, an event or the flow context', async () => {
    const h = await startedWithCard();
    await pinThrough(h, '9876');
    h.flow.send({ type: 'submit-pin', pin: '9875' });
    await settle();
    expect(JSON.stringify(h.received)).not.toMatch(/987[56]/);
  });

  it('rejects commands not possible at this step without changing state', async () => {
    const h = createHarness();
    h.flow.start();
    const before = h.flow.snapshot();
    expect(errorCode(h.flow.send({ type: 'submit-pin', pin: '1234' }))).toBe('INPUT_NOT_ALLOWED_NOW');
    expect(h.flow.snapshot()).toBe(before);
  });
});

/** The error code of a refused command, undefined when it was accepted. */
function errorCode(result: Result<void>): string | undefined {
  return result.ok ? undefined : result.error.code;
}
