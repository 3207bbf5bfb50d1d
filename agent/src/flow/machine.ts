/**
 * The check-in statechart (xstate v5). Session steps are child states of `session`, so card removal,
 * reset, timeout and "call staff" are handled once on the parent. The state is the step: each decision
 * of decisions.ts (a pure function) names the step it leads to, and the machine lists, per decision,
 * the steps it may name as guarded targets. Async work (card, reader, qualification service) runs in
 * invoked actors that are stopped — and their results ignored — as soon as the session leaves their
 * state; store writes whose answer decides the step run in write actors (write-actor.ts), so every
 * assign is pure.
 */
import {
  assign,
  emit,
  enqueueActions,
  fromPromise,
  setup,
  type ActionFunction,
  type DoneActorEvent,
  type EventObject,
  type InputFrom,
  type OutputFrom,
} from 'xstate';
import {
  agentError,
  type DocumentId,
  type DriverStatus,
  type ErrorCode,
  type FallbackReason,
  type FlowCommand,
  type FlowEvent,
  type Result,
} from '@kiosk/protocol';
import type { StaffAction } from './types.ts';
import type { FlowDeps } from './deps.ts';
import { certificateRule as defaultCertificateRule } from '../rules/certificate.ts';
import { japanDate } from '../clock.ts';
import { newSession, type CardState, type CertificateRead, type FlowContext, type Session } from './context.ts';
import {
  afterCertificateLookup,
  afterCertificateRead,
  afterFace,
  afterPin,
  afterProof,
  afterRead,
  afterRegistration,
  afterRegistrationAnswer,
  canAskFace,
  canAskPin,
  canAskVisual,
  consentAnswers,
  needsLastTryConfirmation,
  nextAfterResult,
  toStaff,
  faceUsable,
  type CardRead,
  type CertificateLookup,
  type Decision,
  type EligibilityFound,
} from './decisions.ts';
import { createEffects } from './effects.ts';
import { readCard, readCertificate } from './read-card.ts';
import { fromWrite } from './write-actor.ts';
import type { CheckInOrigin, ConsentAnswers } from './ports.ts';
import type { JpkiCard } from '../card/types.ts';

/** Events the machine takes: kiosk commands (the PIN stripped), staff actions, driver facts, the idle timer. */
export type MachineEvent =
  | Exclude<FlowCommand, { type: 'submit-pin' }>
  | { type: 'submit-pin' }
  | StaffAction
  | { type: 'CARD_INSERTED'; reader: string }
  | { type: 'CARD_REMOVED' }
  | { type: 'READER_STATUS'; status: DriverStatus }
  | { type: 'READER_LOST'; reason: FallbackReason }
  | { type: 'READER_OK' }
  | { type: 'READ_ERROR' }
  | { type: 'TIMEOUT' };

/** Hands the PIN from send() to the verify actor without putting it in context, events or actor input. */
export interface PinSlot {
  take(): string | undefined;
}

/** A failed read the patient can retry by placing the card again: these count towards the manual path. */
const READ_ERROR_CODES: ReadonlySet<ErrorCode> = new Set([
  'CARD_UNRESPONSIVE',
  'CARD_MALFORMED_RESPONSE',
  'READER_COMMUNICATION_FAILED',
  'READER_BUSY',
  'CARD_UNEXPECTED_STATUS',
]);

/** Tag of the states that wait for a write actor: they last only within one send and are never a screen. */
export const WRITING = 'writing';

/** The first step of a session, named by the event that starts it (entered once its record is written). */
type FirstStep = { to: 'reading' | 'face' | 'manual' | 'staff' } | { to: 'manual-done'; documents: DocumentId[] };

type Done<T> = DoneActorEvent<T>;
/** An action of a transition built by a helper below (named actions of setup, or a typed function). */
type Action<E extends EventObject> =
  ActionFunction<FlowContext, E, MachineEvent, undefined, never, never, never, never, FlowEvent> | 'certificateChecked' | 'settleEligibility';

export function initialContext(deps: FlowDeps): FlowContext {
  return { language: deps.config.defaultLanguage, reader: deps.driver.status(), readErrors: 0, readerProblem: null, idleNotices: [], session: null };
}

export function createFlowMachine(deps: FlowDeps, pinSlot: PinSlot) {
  const { config, clock, driver } = deps;
  const certificates = deps.eligibility.certificates;
  const rule = deps.certificateRule ?? defaultCertificateRule;
  const effects = createEffects(deps);
  const now = () => clock.now();
  const faceReady = (context: FlowContext): boolean => faceUsable(driver.capabilities.faceAuth, context.reader);
  const newId = deps.newSessionId ?? (() => crypto.randomUUID());

  const lookupCertificate = async (session: Session): Promise<Result<CertificateLookup>> => {
    const certificate = session.card?.certificate;
    if (!certificate) return { ok: false, error: agentError('INTERNAL') };
    // No service answers for certificates: the card proved who the patient is, and nothing more.
    if (!certificates) return { ok: true, value: { registration: 'no-source' } };
    const looked = await certificates.byCertificate({ serialHex: certificate.serialHex, issuer: certificate.issuer });
    if (!looked.ok) return looked;
    const { registration, eligibility } = looked.value;
    return { ok: true, value: { registration, ...(eligibility ? { found: effects.enrich(eligibility, certificate.serialHex) } : {}) } };
  };

  const s = (context: FlowContext): Session => {
    if (!context.session) throw new Error('no session'); // unreachable: session states always have one
    return context.session;
  };
  const sid = (context: FlowContext) => context.session?.id ?? null;

  const actors = {
    readCard: fromPromise<Result<CardRead>, { reader: string }>(({ input }) => readCard(deps, input.reader)),
    verifyPin: fromPromise<Result<void>, { card: JpkiCard }>(async ({ input }) => {
      const pin = pinSlot.take();
      return pin === undefined ? { ok: false, error: agentError('PIN_FORMAT') } : input.card.verifyPin(pin);
    }),
    readCertificate: fromPromise<Result<CertificateRead>, { card: JpkiCard }>(({ input }) => readCertificate(deps, input.card)),
    // `proving` follows a checked certificate only (afterPin, afterCertificateRead): a missing one is a flow bug.
    prove: fromPromise<Result<void>, { card: CardState }>(async ({ input }) =>
      input.card.certDer ? deps.proveKeyPossession(input.card.card, input.card.certDer) : { ok: false, error: agentError('INTERNAL') },
    ),
    lookup: fromPromise<Result<CertificateLookup>, { session: Session }>(({ input }) => lookupCertificate(input.session)),
    register: fromPromise<Result<CertificateLookup>, { session: Session }>(async ({ input }) => {
      const certificate = input.session.card?.certificate;
      // Registration is offered only on a certificate source's 'unregistered': without one it is a flow bug.
      if (!certificate || !certificates) return { ok: false, error: agentError('INTERNAL') };
      const registered = await certificates.register({ serialHex: certificate.serialHex, issuer: certificate.issuer });
      return registered.ok ? lookupCertificate(input.session) : registered;
    }),
    face: fromPromise<Result<EligibilityFound>, { sessionId: string; since: Date }>(async ({ input, signal }) => {
      if (!driver.awaitFaceResult) return { ok: false, error: agentError('READER_DRIVER_UNAVAILABLE') };
      const result = await driver.awaitFaceResult({ sessionId: input.sessionId, since: input.since }, signal);
      return result.ok ? { ok: true, value: effects.enrich(result.value.eligibility) } : result;
    }),
    // The session's record is written before anything else happens, or the kiosk hands over to staff.
    begin: fromWrite(({ session, first }: { session: Session; first: FirstStep }): Result<FirstStep> => {
      const begun = effects.begin(session);
      return begun.ok ? { ok: true, value: first } : begun;
    }),
    recordConsent: fromWrite(({ session, given, source }: { session: Session; given: ConsentAnswers; source: 'kiosk' | 'reader' }) =>
      effects.recordConsent(session, given, source),
    ),
    savePatient: fromWrite(({ session, phone }: { session: Session; phone: string | undefined }) => effects.savePatient(session, phone)),
    complete: fromWrite(({ session }: { session: Session }) => effects.complete(session)),
  };
  type Src = keyof typeof actors;
  type Output<K extends Src> = OutputFrom<(typeof actors)[K]>;

  return setup({
    types: { context: {} as FlowContext, events: {} as MachineEvent, emitted: {} as FlowEvent },
    actors,
    actions: {
      readerLost: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'READER_LOST') return;
        enqueue.assign({ readerProblem: event.reason });
        enqueue.emit({ type: 'fallback', sessionId: sid(context), reason: event.reason });
      }),
      chooseManual: assign({
        session: ({ context }) => ({ ...s(context), card: undefined, fallback: { reason: 'patient-choice' as FallbackReason, documents: [] } }),
      }),
      approveVisual: enqueueActions(({ context, enqueue }) => {
        const session = s(context);
        enqueue.assign({ session: { ...session, authMethod: 'visual', staff: undefined, error: undefined } });
        enqueue.emit({ type: 'authentication', sessionId: session.id, method: 'visual', outcome: 'success' });
      }),
      declineVisual: enqueueActions(({ context, enqueue }) => {
        const session = s(context);
        enqueue.assign({ session: { ...toStaff(session, 'visual-declined', now()).session, card: undefined } });
        enqueue.emit({ type: 'authentication', sessionId: session.id, method: 'visual', outcome: 'declined' });
      }),
      clearError: assign({ session: ({ context }) => ({ ...s(context), error: undefined }) }),
      /** The checked certificate, once known: at the card read, or after the PIN for a phone token. */
      certificateChecked: enqueueActions(({ context, enqueue }) => {
        const session = s(context);
        const card = session.card;
        if (card?.certificate) enqueue.emit({ type: 'certificate', sessionId: session.id, status: card.certificateStatus, chain: card.certificate.chain });
      }),
      /** After an eligibility result: note it for staff, and announce it. */
      settleEligibility: enqueueActions(({ context, enqueue }) => {
        const session = s(context);
        enqueue(() => effects.noteAuthAndOutcome(session));
        if (session.authMethod && session.eligibility?.source === 'face')
          enqueue.emit({ type: 'authentication', sessionId: session.id, method: session.authMethod, outcome: 'success' });
        if (session.eligibility)
          enqueue.emit({ type: 'eligibility', sessionId: session.id, outcome: session.eligibility.outcome, source: session.eligibility.source });
      }),
    },
    guards: {
      visualAllowed: ({ context, event }) =>
        (event.type === 'approve-visual' || event.type === 'decline-visual') && event.sessionId === context.session?.id && canAskVisual(s(context)),
      cardIo: () => driver.capabilities.cardIo,
      faceAuth: ({ context }) => faceReady(context),
      // The face reader begins by itself (the 顔認証付きカードリーダー takes the card): with a card reader of
      // our own, a session starts when the card is placed, and "start" without it has nothing to read.
      faceFirst: ({ context }) => !driver.capabilities.cardIo && faceReady(context),
      cardSession: ({ context }) => context.session?.cardReader !== undefined,
      readerProblem: ({ context }) => context.readerProblem !== null,
    },
  }).createMachine({
    id: 'flow',
    context: () => initialContext(deps),
    initial: 'welcome',
    on: {
      'set-language': { actions: assign({ language: ({ event }) => event.language }) },
      READER_STATUS: { actions: assign({ reader: ({ event }) => event.status }) },
      // Steps that do not need the reader still record its state, so the welcome screen after them is right.
      READER_OK: { actions: assign({ readerProblem: null }) },
      READER_LOST: { actions: assign({ readerProblem: ({ event }) => event.reason }) },
      READ_ERROR: [
        {
          guard: ({ context }) => context.readErrors + 1 >= config.readErrorLimit,
          target: '.fallback',
          actions: [
            assign({ readErrors: ({ context }) => context.readErrors + 1, readerProblem: 'read-errors' as FallbackReason }),
            emit(({ context }) => ({ type: 'fallback', sessionId: sid(context), reason: 'read-errors' }) as const),
          ],
        },
        { actions: assign({ readErrors: ({ context }) => context.readErrors + 1 }) },
      ],
    },
    states: {
      welcome: {
        entry: assign({ session: null }),
        always: { guard: 'readerProblem', target: 'fallback' },
        on: {
          CARD_INSERTED: { guard: 'cardIo', target: 'session', actions: assign(({ event }) => started('card', { cardReader: event.reader })) },
          start: { guard: 'faceFirst', target: 'session', actions: assign(() => started('reader')) },
          'manual-path': { target: 'session', actions: assign(() => started('manual', { fallback: { reason: 'patient-choice', documents: [] } })) },
          'call-staff': { target: 'session', actions: assign(() => started('manual', { staff: { reason: 'patient-request', since: now() } })) },
          READER_LOST: {
            target: 'fallback',
            actions: [
              assign({ readerProblem: ({ event }) => event.reason }),
              emit(({ event }) => ({ type: 'fallback', sessionId: null, reason: event.reason }) as const),
            ],
          },
          READER_OK: { actions: assign({ readerProblem: null }) },
        },
      },
      fallback: {
        entry: assign({ session: null }),
        on: {
          READER_OK: { target: 'welcome', actions: assign({ readerProblem: null, readErrors: 0, idleNotices: ['reader-restored'] }) },
          READER_LOST: { actions: assign({ readerProblem: ({ event }) => event.reason }) },
          CARD_INSERTED: {
            guard: 'cardIo',
            target: 'session',
            actions: assign(({ event }) => ({ readerProblem: null, ...started('card', { cardReader: event.reader }) })),
          },
          'manual-path': {
            target: 'session',
            actions: assign(({ context }) => started('manual', { fallback: { reason: context.readerProblem ?? 'patient-choice', documents: [] } })),
          },
          'fallback-documents': {
            target: 'session',
            actions: assign(({ context }) => started('manual', { fallback: { reason: context.readerProblem ?? 'patient-choice', documents: [] } })),
          },
          'call-staff': { target: 'session', actions: assign(() => started('manual', { staff: { reason: 'patient-request', since: now() } })) },
        },
      },
      session: {
        initial: 'beginning',
        exit: [
          ({ context, event, self }) => {
            const session = context.session;
            if (!session) return;
            // The snapshot is still the one before this event: the step the session ended on.
            effects.end(session, endReason(event), self.getSnapshot().matches({ session: 'manual' }));
            void session.card?.channel.close().catch(() => undefined);
          },
        ],
        on: {
          CARD_REMOVED: {
            guard: 'cardSession',
            target: 'welcome',
            actions: [
              emit(({ context }) => ({ type: 'card-removed', sessionId: sid(context) }) as const),
              emit(({ context }) => ({ type: 'reset', sessionId: sid(context), reason: 'card-removed' }) as const),
            ],
          },
          reset: { target: 'welcome', actions: emit(({ context, event }) => ({ type: 'reset', sessionId: sid(context), reason: event.reason }) as const) },
          TIMEOUT: { target: 'welcome', actions: emit(({ context }) => ({ type: 'reset', sessionId: sid(context), reason: 'timeout' }) as const) },
          'take-over': {
            guard: ({ context, event }) => event.sessionId === context.session?.id,
            target: 'welcome',
            actions: emit(({ context }) => ({ type: 'reset', sessionId: sid(context), reason: 'take-over' }) as const),
          },
          // The staff step answers it itself (it rings the desk again).
          'call-staff': { target: '.staff', actions: assign({ session: ({ context }) => toStaff(s(context), 'patient-request', now()).session }) },
        },
        states: {
          beginning: {
            tags: [WRITING],
            invoke: invoked(
              'begin',
              (context, event) => ({ session: s(context), first: firstStep(event) }),
              { reading: true, face: true, manual: true, staff: true, 'manual-done': true },
              (context, begun) => (begun.ok ? firstDecision(s(context), begun.value) : storageUnavailable(s(context))),
            ),
          },
          reading: {
            on: { ...readerPhase() },
            invoke: withReadErrorLimit(
              invoked(
                'readCard',
                (context) => ({ reader: s(context).cardReader ?? '' }),
                { 'choose-auth': true, manual: true, staff: true, error: true },
                (context, read) => afterRead(s(context), read, rule, now()),
                assign<FlowContext, Done<Result<CardRead>>, undefined, MachineEvent, never>({
                  readErrors: ({ context, event }) => (isReadError(event.output) ? context.readErrors + 1 : event.output.ok ? 0 : context.readErrors),
                }),
                act<Done<Result<CardRead>>>(({ context, event, enqueue }) => {
                  if (!event.output.ok) return;
                  const { kind, reader, card } = event.output.value;
                  enqueue.emit({ type: 'card-read', sessionId: s(context).id, kind, reader, apduCount: card.apduCount });
                }),
                'certificateChecked',
              ),
            ),
          },
          'choose-auth': {
            on: {
              ...readerPhase(),
              'choose-auth': [
                { guard: ({ context, event }) => event.method === 'face' && canAskFace(s(context), faceReady(context)), target: 'face', actions: 'clearError' },
                ...toPin(),
                { guard: ({ context, event }) => event.method === 'visual' && canAskVisual(s(context)), target: 'visual-check', actions: 'clearError' },
              ],
            },
          },
          face: {
            on: {
              ...readerPhase(),
              // "Use the PIN instead" while the face wait runs: leaving the state aborts the wait.
              'choose-auth': toPin(),
            },
            invoke: invoked(
              'face',
              (context) => ({ sessionId: s(context).id, since: s(context).startedAt }),
              { 'choose-auth': true, manual: true, staff: true, error: true, result: true, 'recording-reader-consent': true },
              (context, found) => afterFace(s(context), found, config, now()),
              'settleEligibility',
            ),
          },
          pin: {
            on: {
              ...readerPhase(),
              'submit-pin': [
                {
                  guard: ({ context }) => needsLastTryConfirmation(s(context)),
                  target: 'pin-confirm-last-try',
                  actions: assign({
                    session: ({ context }) => ({ ...s(context), error: agentError('PIN_LAST_TRY_UNCONFIRMED', undefined, { triesLeft: 1 }) }),
                  }),
                },
                { guard: ({ context }) => canAskPin(s(context)), target: 'pin-verifying' },
              ],
            },
          },
          'pin-confirm-last-try': {
            on: {
              ...readerPhase(),
              'confirm-last-try': [
                {
                  guard: ({ event }) => event.confirm,
                  target: 'pin',
                  actions: assign({ session: ({ context }) => ({ ...s(context), lastTryConfirmed: true, error: undefined }) }),
                },
                { target: 'choose-auth', actions: 'clearError' },
              ],
            },
          },
          'pin-verifying': {
            on: { ...readerPhase() },
            invoke: invoked(
              'verifyPin',
              (context) => ({ card: s(context).card!.card }),
              { proving: true, 'reading-certificate': true, pin: true, 'pin-confirm-last-try': true, staff: true, error: true },
              (context, verified) => afterPin(s(context), verified, now()),
              act<Done<Result<void>>>(({ context, event, enqueue }) => {
                const session = s(context);
                const triesLeft = session.card?.pinTriesLeft;
                enqueue.emit({
                  type: 'authentication',
                  sessionId: session.id,
                  method: 'pin',
                  outcome: event.output.ok ? 'success' : event.output.error.code === 'PIN_BLOCKED' || triesLeft === 0 ? 'blocked' : 'failure',
                  ...(triesLeft !== undefined ? { pinTriesLeft: triesLeft } : {}),
                });
              }),
            ),
          },
          'visual-check': {
            entry: [
              assign({ session: ({ context }) => ({ ...s(context), staff: { reason: 'visual-check', since: now() } }) }),
              ({ context }) => effects.noteStaff(s(context)),
              emit(({ context }) => ({ type: 'staff-needed', sessionId: sid(context), reason: 'visual-check' }) as const),
            ],
            on: { ...readerPhase(), ...visualActions() },
          },
          'reading-certificate': {
            on: { ...readerPhase() },
            invoke: invoked(
              'readCertificate',
              (context) => ({ card: s(context).card!.card }),
              { proving: true, manual: true, staff: true, error: true },
              (context, read) => afterCertificateRead(s(context), read, rule, now()),
              'certificateChecked',
            ),
          },
          proving: {
            on: { ...readerPhase() },
            invoke: invoked(
              'prove',
              (context) => ({ card: s(context).card! }),
              { eligibility: true, staff: true, error: true },
              (context, proved) => afterProof(s(context), proved, now()),
            ),
          },
          eligibility: {
            on: { ...readerPhase() },
            invoke: invoked(
              'lookup',
              (context) => ({ session: s(context) }),
              { result: true, 'recording-reader-consent': true, 'registration-offer': true, manual: true, staff: true },
              (context, looked) => afterCertificateLookup(s(context), looked, config, now()),
              'settleEligibility',
            ),
          },
          'registration-offer': {
            entry: emit(({ context }) => ({ type: 'registration', sessionId: s(context).id, stage: 'offered' }) as const),
            on: {
              ...readerPhase(),
              registration: decide(
                { registering: true, manual: true },
                (context, event: Extract<MachineEvent, { type: 'registration' }>) => afterRegistrationAnswer(s(context), event.agree),
                emit(({ context, event }) => ({ type: 'registration', sessionId: s(context).id, stage: event.agree ? 'agreed' : 'declined' }) as const),
              ),
            },
          },
          registering: {
            on: { ...readerPhase() },
            invoke: invoked(
              'register',
              (context) => ({ session: s(context) }),
              { result: true, 'recording-reader-consent': true, 'registration-offer': true, manual: true, staff: true },
              (context, registered) => afterRegistration(s(context), registered, config, now()),
              emit(
                ({ context }) => ({ type: 'registration', sessionId: s(context).id, stage: s(context).registration?.done ? 'registered' : 'failed' }) as const,
              ),
              'settleEligibility',
            ),
          },
          // Consents the reader asked itself are recorded before the result is shown.
          'recording-reader-consent': {
            tags: [WRITING],
            invoke: invoked(
              'recordConsent',
              (context) => ({ session: s(context), given: s(context).consent?.given ?? {}, source: 'reader' as const }),
              { result: true, staff: true },
              (context, recorded) => (recorded.ok ? { to: 'result', session: recorded.value } : storageUnavailable(s(context))),
            ),
          },
          result: {
            // Reader-given and reused consents are announced with the result, new ones when answered.
            entry: emitEach((context) => {
              const consent = s(context).consent;
              return consent?.fromReader || consent?.reused ? consentEvent(s(context), consent.reused === true) : [];
            }),
            on: { continue: decide(AFTER_RESULT, (context) => nextAfterResult(s(context), config)) },
          },
          'new-patient': {
            on: {
              'new-patient': [
                { guard: ({ event }) => event.confirmed, target: 'saving-patient' },
                { target: 'staff', actions: assign({ session: ({ context }) => toStaff(s(context), 'eligibility-review', now()).session }) },
              ],
            },
          },
          'saving-patient': {
            tags: [WRITING],
            invoke: invoked(
              'savePatient',
              (context, event) => ({ session: s(context), phone: event.type === 'new-patient' ? event.phone : undefined }),
              { ...AFTER_RESULT, staff: true },
              (context, saved) => afterWrite(s(context), saved),
            ),
          },
          consent: {
            on: {
              consent: { guard: ({ context, event }) => consentAnswers(s(context).consent?.offered ?? [], event).ok, target: 'recording-consent' },
            },
          },
          'recording-consent': {
            tags: [WRITING],
            invoke: invoked(
              'recordConsent',
              (context, event) => {
                const answers = event.type === 'consent' ? consentAnswers(s(context).consent?.offered ?? [], event) : undefined;
                return { session: s(context), given: answers?.ok ? answers.value : {}, source: 'kiosk' as const };
              },
              { ...AFTER_RESULT, staff: true },
              (context, recorded) => afterWrite(s(context), recorded),
              emitEach((context) => consentEvent(s(context), false)),
            ),
          },
          prescription: {
            on: {
              prescription: decide(AFTER_RESULT, (context, event: Extract<MachineEvent, { type: 'prescription' }>) =>
                nextAfterResult({ ...s(context), prescription: event.choice }, config),
              ),
            },
          },
          completing: {
            tags: [WRITING],
            invoke: invoked(
              'complete',
              (context) => ({ session: s(context) }),
              { completed: true, staff: true },
              (context, completed) => (completed.ok ? { to: 'completed', session: completed.value } : storageUnavailable(s(context))),
              emitEach((context) => {
                const session = s(context);
                return session.queueNumber !== undefined
                  ? [{ type: 'completed', sessionId: session.id, queueNumber: session.queueNumber, newPatient: session.isNewPatient === true }]
                  : [];
              }),
            ),
          },
          completed: {
            on: {
              continue: { target: '#flow.welcome', actions: emit(({ context }) => ({ type: 'reset', sessionId: sid(context), reason: 'completed' }) as const) },
            },
          },
          staff: {
            entry: [
              ({ context }) => effects.noteStaff(s(context)),
              emit(({ context }) => ({ type: 'staff-needed', sessionId: sid(context), reason: s(context).staff?.reason ?? 'patient-request' }) as const),
            ],
            on: {
              ...visualActions(),
              'completed-at-desk': completedAtDesk(),
              // Already waiting for staff: the button still works (help in the same place on every screen) and rings the desk again.
              'call-staff': {
                actions: emit(
                  ({ context }) => ({ type: 'staff-needed', sessionId: sid(context), reason: s(context).staff?.reason ?? 'patient-request' }) as const,
                ),
              },
            },
          },
          error: {
            on: {
              continue: { target: '#flow.welcome', actions: emit(({ context }) => ({ type: 'reset', sessionId: sid(context), reason: 'patient' }) as const) },
            },
          },
          manual: {
            entry: emit(({ context }) => ({ type: 'fallback', sessionId: sid(context), reason: s(context).fallback?.reason ?? 'patient-choice' }) as const),
            on: {
              'fallback-documents': {
                target: 'manual-done',
                actions: assign({ session: ({ context, event }) => decideFallback(s(context), event.documents) }),
              },
            },
          },
          'manual-done': {
            entry: [
              ({ context }) => effects.noteStaff(s(context)),
              ({ context }) => effects.noteDocuments(s(context)),
              emit(
                ({ context }) =>
                  ({
                    type: 'fallback',
                    sessionId: sid(context),
                    reason: s(context).fallback?.reason ?? 'patient-choice',
                    ...(s(context).fallback?.decision ? { decision: s(context).fallback!.decision!.decision } : {}),
                  }) as const,
              ),
              emit(({ context }) => ({ type: 'staff-needed', sessionId: sid(context), reason: 'fallback-documents' }) as const),
            ],
            on: {
              continue: { target: '#flow.welcome', actions: emit(({ context }) => ({ type: 'reset', sessionId: sid(context), reason: 'patient' }) as const) },
              // The desk entered the documents while the patient's last screen is up: it shows the number.
              'completed-at-desk': completedAtDesk(),
            },
          },
        },
      },
    },
  });

  /**
   * The transitions of one decision: each step the decision may name (`targets`, checked against its
   * type) is one guarded xstate target, so the statechart itself says where a step can lead. A decision
   * is pure: the guards and the assign may each compute it.
   */
  function decide<E extends EventObject, To extends string>(
    targets: Record<NoInfer<To>, true>,
    decision: (context: FlowContext, event: E) => Decision<To>,
    ...actions: Action<E>[]
  ) {
    return (Object.keys(targets) as To[]).map((to) => ({
      guard: ({ context, event }: { context: FlowContext; event: E }) => decision(context, event).to === to,
      target: to,
      actions: [assign<FlowContext, E, undefined, MachineEvent, never>({ session: ({ context, event }) => decision(context, event).session }), ...actions],
    }));
  }

  /**
   * A working step: the invoked actor's answer goes through a decision to the next step (the targets as
   * in decide). The actor stops, and its answer is dropped, when the session leaves the step first.
   */
  function invoked<K extends Src, To extends string>(
    src: K,
    input: (context: FlowContext, event: MachineEvent) => InputFrom<(typeof actors)[K]>,
    targets: Record<NoInfer<To>, true>,
    decision: (context: FlowContext, output: Output<K>) => Decision<To>,
    ...actions: Action<Done<Output<K>>>[]
  ) {
    return {
      src,
      input: ({ context, event }: { context: FlowContext; event: MachineEvent }) => input(context, event),
      onDone: decide(targets, (context, event: Done<Output<K>>) => decision(context, event.output), ...actions),
    };
  }

  /** A read error that reaches the limit leaves the session for the manual path, before the read's own decision. */
  function withReadErrorLimit<T extends { onDone: object[] }>(read: T) {
    const limit = {
      guard: ({ context, event }: { context: FlowContext; event: Done<Result<CardRead>> }) =>
        isReadError(event.output) && context.readErrors + 1 >= config.readErrorLimit,
      target: '#flow.fallback',
      actions: [
        assign<FlowContext, Done<Result<CardRead>>, undefined, MachineEvent, never>({
          readErrors: ({ context }) => context.readErrors + 1,
          readerProblem: 'read-errors',
        }),
        emit<FlowContext, Done<Result<CardRead>>, undefined, MachineEvent, FlowEvent>(({ context }) => ({
          type: 'fallback',
          sessionId: sid(context),
          reason: 'read-errors',
        })),
      ],
    };
    return { ...read, onDone: [limit, ...read.onDone] };
  }

  /** A typed action of several effects (enqueueActions outside setup needs its types spelled out). */
  function act<E extends EventObject>(
    body: Parameters<typeof enqueueActions<FlowContext, E, undefined, MachineEvent, never, never, never, never, FlowEvent>>[0],
  ) {
    return enqueueActions<FlowContext, E, undefined, MachineEvent, never, never, never, never, FlowEvent>(body);
  }

  /** Staff finished the check-in at the desk (manual entry) for the session on screen: its queue number. */
  function completedAtDesk() {
    return {
      guard: ({ context, event }: { context: FlowContext; event: MachineEvent }) =>
        event.type === 'completed-at-desk' && event.sessionId === context.session?.id,
      target: 'completed',
      actions: act<MachineEvent>(({ context, event, enqueue }) => {
        if (event.type !== 'completed-at-desk') return;
        const session = s(context);
        enqueue.assign({ session: { ...session, staff: undefined, error: undefined, queueNumber: event.queueNumber } });
        enqueue.emit({ type: 'completed', sessionId: session.id, queueNumber: event.queueNumber, newPatient: false });
      }),
    } as const;
  }

  /**
   * "Use the PIN": with one try left the warning comes first, before the keypad, so the PIN is typed
   * once (confirm-last-try then opens the keypad).
   */
  function toPin() {
    return [
      {
        guard: ({ context, event }: { context: FlowContext; event: MachineEvent }) =>
          event.type === 'choose-auth' && event.method === 'pin' && canAskPin(s(context)) && needsLastTryConfirmation(s(context)),
        target: 'pin-confirm-last-try',
        actions: 'clearError',
      },
      {
        guard: ({ context, event }: { context: FlowContext; event: MachineEvent }) =>
          event.type === 'choose-auth' && event.method === 'pin' && canAskPin(s(context)),
        target: 'pin',
        actions: 'clearError',
      },
    ] as const;
  }

  /** A new session, not yet written (the `beginning` step writes its record). */
  function started(origin: CheckInOrigin, extra: Partial<Session> = {}): { session: Session; idleNotices: [] } {
    return { session: { ...newSession(newId(), now(), origin), ...extra }, idleNotices: [] };
  }

  /** The record is written: the step the starting event asked for. */
  function firstDecision(session: Session, first: FirstStep): Decision<FirstStep['to']> {
    return first.to === 'manual-done' ? { to: 'manual-done', session: decideFallback(session, first.documents) } : { to: first.to, session };
  }

  /** A write the check-in depends on failed: staff take over instead of pretending it was saved. */
  function storageUnavailable(session: Session): Decision<'staff'> {
    return toStaff(session, 'storage-unavailable', now(), agentError('STORAGE_UNAVAILABLE'));
  }

  /** After a successful store write, continue along the remaining screens; a failed write goes to staff. */
  function afterWrite(session: Session, written: Result<Session>): Decision<keyof typeof AFTER_RESULT | 'staff'> {
    return written.ok ? nextAfterResult(written.value, config) : storageUnavailable(session);
  }

  function decideFallback(session: Session, documents: DocumentId[]): Session {
    const reason = session.fallback?.reason ?? 'patient-choice';
    const decision = deps.decideDocuments({ date: japanDate(now()), documents, readerAvailable: false });
    return {
      ...session,
      card: undefined,
      eligibility: undefined,
      fallback: { reason, documents, decision },
      staff: { reason: 'fallback-documents', since: now() },
    };
  }

  function isReadError(output: Result<CardRead>): boolean {
    return !output.ok && READ_ERROR_CODES.has(output.error.code);
  }

  /** Transitions every step that still needs the reader shares: reader lost → manual path; patient chooses manual. */
  function readerPhase() {
    return {
      READER_LOST: { target: '#flow.fallback', actions: 'readerLost' },
      'manual-path': { target: 'manual', actions: 'chooseManual' },
    } as const;
  }

  /** Staff's 目視確認 answer, in the visual-check step or after a PIN/face problem routed to staff. */
  function visualActions() {
    return {
      'approve-visual': { guard: 'visualAllowed', target: 'eligibility', actions: 'approveVisual' },
      // Entering staff again notes the new reason and rings the desk.
      'decline-visual': { guard: 'visualAllowed', target: 'staff', reenter: true, actions: 'declineVisual' },
    } as const;
  }

  function consentEvent(session: Session, reused: boolean): FlowEvent[] {
    const consent = session.consent;
    if (!consent?.given || !consent.recordedAt) return [];
    return [{ type: 'consent', sessionId: session.id, given: consent.given, reused, at: consent.recordedAt.toISOString() }];
  }

  function endReason(event: MachineEvent): string {
    switch (event.type) {
      case 'reset':
        return event.reason;
      case 'CARD_REMOVED':
        return 'card-removed';
      case 'TIMEOUT':
        return 'timeout';
      case 'READER_LOST':
        return 'reader-lost';
      case 'READ_ERROR':
        return 'read-errors';
      default:
        return event.type;
    }
  }

  /** Emits several typed events from one action (emit() takes one). */
  function emitEach(build: (context: FlowContext) => FlowEvent[]) {
    return act<EventObject>(({ context, enqueue }) => {
      for (const flowEvent of build(context)) enqueue.emit(flowEvent);
    });
  }
}

/** The screens after the result (nextAfterResult). */
const AFTER_RESULT = { 'new-patient': true, consent: true, prescription: true, completing: true } as const;

/** The event that started the session names its first step. */
function firstStep(started: MachineEvent): FirstStep {
  switch (started.type) {
    case 'CARD_INSERTED':
      return { to: 'reading' };
    case 'start':
      return { to: 'face' };
    case 'call-staff':
      return { to: 'staff' };
    case 'fallback-documents':
      return { to: 'manual-done', documents: started.documents };
    default:
      return { to: 'manual' }; // manual-path
  }
}
