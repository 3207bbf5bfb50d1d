/**
 * Model-based test: random sequences of patient commands, driver events and staff actions against the
 * real flow over fakes, checking the invariants after every step and that every final screen is reached.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FlowEventSchema, FlowSnapshotSchema, type FlowCommand } from '@kiosk/protocol';
import { CORRECT_PIN, createHarness, faceResult, settle, type FakeCardOptions } from './flow.test-support.ts';

type Harness = ReturnType<typeof createHarness>;
interface Real {
  h: Harness;
  cards: (ReturnType<Harness['insert']> & { initial: number })[];
  /** PINs typed in this run, none of which may appear anywhere. */
  typed: Set<string>;
  /** The eligibility sources this run's agent has (none for certificates: a clinic on --driver pcsc). */
  sources: { certificate: boolean; face: boolean };
  /** Sessions an eligibility source answered for. */
  answered: Set<string>;
}
type Model = { readonly seen: Set<string> };

const PERSONAL_KEYS = ['patient', 'card', 'auth', 'certificate', 'eligibility', 'consent', 'staff', 'queueNumber', 'fallback', 'startedAt'];

async function checkInvariants(real: Real, model: Model, from: number) {
  const { received } = real.h;
  for (let i = Math.max(1, from); i < received.length; i++) {
    const before = received[i - 1]!.snapshot;
    const after = received[i]!.snapshot;
    // seq strictly increases whenever the snapshot changes
    if (after !== before) expect(after.seq).toBeGreaterThan(before.seq);
    else expect(after.seq).toBe(before.seq);
  }
  // Never invent: an eligibility result comes from a source this agent has, and a patient is shown only
  // after one answered (a snapshot and the events of its transition arrive together).
  for (const { event } of received.slice(from)) {
    if (event?.type !== 'eligibility') continue;
    expect(event.source === 'certificate' ? real.sources.certificate : event.source === 'face' ? real.sources.face : true).toBe(true);
    real.answered.add(event.sessionId);
  }
  for (const { snapshot } of received.slice(from)) if (snapshot.patient || snapshot.eligibility) expect(real.answered).toContain(snapshot.sessionId);
  for (const { snapshot, event } of received.slice(from)) {
    model.seen.add(snapshot.step);
    expect(FlowSnapshotSchema.safeParse(snapshot).success).toBe(true);
    if (event) expect(FlowEventSchema.safeParse(event).success).toBe(true);
    // a PIN is never asked for with 0 tries left
    if (snapshot.step === 'pin' || snapshot.step === 'pin-confirm-last-try' || snapshot.auth?.methods.includes('pin')) {
      expect(snapshot.auth?.pinTriesLeft ?? 0).toBeGreaterThan(0);
    }
    // staff are called for a failed face check only for a patient whose card is on our reader
    if (snapshot.staff?.reason === 'face-failed') expect(snapshot.card).toBeDefined();
    // after a reset nothing personal remains, and the kiosk is back at welcome (or fallback without a reader)
    if (event?.type === 'reset') {
      expect(['welcome', 'fallback']).toContain(snapshot.step);
      for (const key of PERSONAL_KEYS) if (snapshot.step === 'welcome') expect(snapshot).not.toHaveProperty(key);
      expect(snapshot.sessionId).toBeNull();
    }
  }
  const text = JSON.stringify(received.slice(from));
  for (const pin of real.typed) expect(text).not.toContain(pin);
  // a card that started with 3 tries is never locked by the kiosk
  for (const card of real.cards) expect(card.triesLeft === undefined || card.triesLeft >= 1 || card.verifyCalls === 0 || card.initial < 3).toBe(true);
}

class Act implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly label: string,
    readonly act: (real: Real) => void,
  ) {}
  check() {
    return true;
  }
  async run(model: Model, real: Real) {
    const from = real.h.received.length;
    this.act(real);
    await settle(3);
    await checkInvariants(real, model, Math.max(0, from - 1));
  }
  toString() {
    return this.label;
  }
}

const PAYLOAD_FREE = new Set<FlowCommand['type']>(['start', 'submit-pin', 'continue', 'manual-path', 'call-staff', 'consent']);

const send = (command: FlowCommand) =>
  new Act(command.type === 'submit-pin' ? 'submit-pin' : JSON.stringify(command), (r) => {
    if (command.type === 'submit-pin') r.typed.add(command.pin);
    const before = r.h.flow.snapshot();
    const result = r.h.flow.send(command);
    // The snapshot told the truth: what it offered is what the flow accepts, and nothing else.
    if (result.ok) expect(before.can).toContain(command.type);
    if (!before.can.includes(command.type)) expect(result).toMatchObject({ ok: false });
    // Commands whose payload the guards never look at are accepted whenever offered.
    if (before.can.includes(command.type) && PAYLOAD_FREE.has(command.type) && !('all' in command && !command.all))
      expect(result).toEqual({ ok: true, value: undefined });
    if (result.ok && command.type === 'choose-auth') expect(before.auth?.methods).toContain(command.method === 'visual' ? 'staff' : command.method);
  });

const cardOptions: fc.Arbitrary<FakeCardOptions> = fc.record({
  kind: fc.constantFrom('my-number-card', 'my-number-card', 'iphone', 'juki-card'),
  triesLeft: fc.constantFrom(3, 3, 2, 1, 0, undefined),
  status: fc.constantFrom('valid', 'valid', 'valid', 'expiring', 'grace', 'expired'),
  chain: fc.constantFrom('trusted', 'trusted', 'trusted', 'untrusted'),
  serialHex: fc.constantFrom('0a1b2c', '0a1b2d', '0a1b2e'),
}) as fc.Arbitrary<FakeCardOptions>;

const staffAct = (type: 'approve-visual' | 'decline-visual' | 'take-over') =>
  new Act(type, (r) => {
    const sessionId = r.h.flow.snapshot().sessionId;
    if (sessionId) r.h.flow.staffAction({ type, sessionId, staffId: 'st' });
  });

/** The patient (or staff) doing the sensible thing on the current screen, so random runs also get deep. */
let turn = 0;
const ADVANCE_CARDS: FakeCardOptions[] = [
  { triesLeft: 3 },
  { triesLeft: 1 },
  { triesLeft: undefined },
  { triesLeft: 1 },
  { triesLeft: 3, serialHex: '0a1b2d' },
];
const advance = new Act('advance', (r) => {
  turn++;
  const { flow } = r.h;
  const snap = flow.snapshot();
  const staff = (type: 'approve-visual') => snap.sessionId && flow.staffAction({ type, sessionId: snap.sessionId, staffId: 'st' });
  const byStep: Partial<Record<typeof snap.step, () => unknown>> = {
    // A face-first reader begins by itself; a card left on our reader after a reset is lifted and placed again.
    welcome: () => {
      if (!r.h.driver.capabilities.cardIo) return flow.send({ type: 'start' });
      if (r.h.driver.card) r.h.driver.remove();
      const options = ADVANCE_CARDS[turn % ADVANCE_CARDS.length]!;
      r.cards.push(Object.assign(r.h.insert(options), { initial: options.triesLeft ?? 0 }));
    },
    'choose-auth': () => {
      const methods = snap.auth?.methods ?? [];
      const method = methods.includes('pin') && turn % 2 === 0 ? 'pin' : methods[turn % Math.max(1, methods.length)];
      return method && flow.send({ type: 'choose-auth', method: method === 'staff' ? 'visual' : method });
    },
    pin: () => {
      r.typed.add(CORRECT_PIN);
      return flow.send({ type: 'submit-pin', pin: CORRECT_PIN });
    },
    'pin-confirm-last-try': () => flow.send({ type: 'confirm-last-try', confirm: true }),
    'visual-check': () => staff('approve-visual'),
    staff: () => staff('approve-visual') || flow.send({ type: 'reset', reason: 'patient' }),
    'registration-offer': () => flow.send({ type: 'registration', agree: true }),
    result: () => flow.send({ type: 'continue' }),
    'new-patient': () => flow.send({ type: 'new-patient', confirmed: true }),
    consent: () => flow.send({ type: 'consent', all: true }),
    prescription: () => flow.send({ type: 'prescription', choice: 'paper' }),
    completed: () => flow.send({ type: 'continue' }),
    error: () => flow.send({ type: 'continue' }),
    fallback: () => flow.send({ type: 'fallback-documents', documents: ['shikaku_kakuninsho'] }),
  };
  byStep[snap.step]?.();
});

const commands = fc.commands(
  [
    fc.constant(advance),
    fc.constant(advance),
    fc.constant(advance),
    fc.constant(advance),
    fc.constant(advance),
    cardOptions.map(
      (o) =>
        new Act(`insert ${JSON.stringify(o)}`, (r) => {
          if (r.h.driver.card) return;
          const card = r.h.insert(o);
          r.cards.push(Object.assign(card, { initial: o.triesLeft ?? 0 }));
        }),
    ),
    fc.constant(new Act('remove', (r) => r.h.driver.card && r.h.driver.remove())),
    fc
      .constantFrom<FlowCommand>(
        { type: 'start' },
        { type: 'choose-auth', method: 'pin' },
        { type: 'choose-auth', method: 'pin' },
        { type: 'choose-auth', method: 'face' },
        { type: 'choose-auth', method: 'visual' },
        { type: 'confirm-last-try', confirm: true },
        { type: 'confirm-last-try', confirm: false },
        { type: 'continue' },
        { type: 'continue' },
        { type: 'consent', all: true },
        { type: 'new-patient', confirmed: true },
        { type: 'new-patient', confirmed: false },
        { type: 'registration', agree: true },
        { type: 'prescription', choice: 'paper' },
        { type: 'call-staff' },
        { type: 'manual-path' },
        { type: 'fallback-documents', documents: ['shikaku_kakuninsho'] },
        { type: 'reset', reason: 'idle' },
      )
      .map(send),
    fc.constantFrom(CORRECT_PIN, CORRECT_PIN, '1111', '2222').map((pin) => send({ type: 'submit-pin', pin })),
    fc.constantFrom('approve-visual', 'decline-visual', 'take-over').map((t) => staffAct(t as 'approve-visual')),
    fc.constant(new Act('reader lost', (r) => r.h.driver.setStatus({ driver: 'mock', service: 'unavailable', readers: [] }))),
    fc.constant(new Act('reader back', (r) => r.h.driver.restore())),
  ],
  { maxCommands: 16 },
);

describe('check-in flow model', () => {
  it('keeps its invariants on random command sequences and reaches every final screen', async () => {
    const seen = new Set<string>();
    // A card reader alone, with a face reader beside it, or a face-first reader alone (oqs).
    const readers = fc.constantFrom({ cardIo: true, faceAuth: false }, { cardIo: true, faceAuth: true }, { cardIo: false, faceAuth: true });
    await fc.assert(
      fc.asyncProperty(commands, readers, fc.constantFrom(true, true, false), async (cmds, capabilities, certificate) => {
        const faceAuth = capabilities.faceAuth;
        const h = createHarness({
          capabilities,
          certificateSource: certificate,
          registry: new Map([
            ['0a1b2d', 'unregistered'],
            ['0a1b2e', 'lost'],
          ]),
          config: { ePrescription: true },
        });
        for (let i = 0; i < 5; i++) h.driver.faceResults.push(faceResult());
        h.flow.start();
        const real: Real = { h, cards: [], typed: new Set(), sources: { certificate, face: faceAuth }, answered: new Set() };
        await fc.asyncModelRun(() => ({ model: { seen }, real }), cmds);
        // every session ends at welcome after a reset
        h.flow.send({ type: 'reset', reason: 'patient' });
        h.driver.restore();
        expect(h.flow.snapshot().sessionId).toBeNull();
        expect(h.flow.snapshot().step).toBe('welcome');
        await h.flow.stop();
      }),
      { numRuns: 80, seed: 20261122 },
    );
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'completed',
        'staff',
        'fallback',
        'error',
        'registration-offer',
        'pin-confirm-last-try',
        'visual-check',
        'consent',
        'prescription',
        'new-patient',
      ]),
    );
  }, 180_000); // generous only because shared CI machines may be loaded; unloaded, the run takes seconds
});
