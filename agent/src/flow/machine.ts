/**
 * The check-in statechart (xstate v5). Session steps are child states of `session`, so card removal,
 * reset, timeout and "call staff" are handled once on the parent. Guards and next-step decisions are the
 * pure functions of decisions.ts; async work (card, reader, qualification service) runs in invoked
 * actors that are stopped — and their results ignored — as soon as the session leaves their state.
 * Step handlers set `session.next` and go through the transient `route` state, which enters that step.
 */
import { assign, emit, enqueueActions, fromPromise, setup } from 'xstate';
import { agentError, type DriverStatus, type ErrorCode, type FallbackReason, type FlowCommand, type FlowEvent, type Result } from '@kiosk/protocol';
import type { StaffAction } from './types.ts';
import type { FlowDeps } from './deps.ts';
import { certificateRule as defaultCertificateRule } from '../rules/certificate.ts';
import { japanDate } from '../clock.ts';
import { newSession, ROUTES, type CardState, type CertificateRead, type FlowContext, type Route, type Session } from './context.ts';
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
  type EligibilityFound,
} from './decisions.ts';
import { createEffects } from './effects.ts';
import { readCard, readCertificate } from './read-card.ts';
import type { CheckInOrigin } from './ports.ts';
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

  return setup({
    types: { context: {} as FlowContext, events: {} as MachineEvent, emitted: {} as FlowEvent },
    actors: {
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
    },
    actions: {
      readerLost: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'READER_LOST') return;
        enqueue.assign({ readerProblem: event.reason });
        enqueue.emit({ type: 'fallback', sessionId: sid(context), reason: event.reason });
      }),
      chooseManual: assign({
        session: ({ context }) => ({
          ...s(context),
          next: 'manual' as Route,
          card: undefined,
          fallback: { reason: 'patient-choice' as FallbackReason, documents: [] },
        }),
      }),
      approveVisual: enqueueActions(({ context, enqueue }) => {
        const session = s(context);
        enqueue.assign({ session: { ...session, authMethod: 'visual', staff: undefined, error: undefined, next: 'eligibility' } });
        enqueue.emit({ type: 'authentication', sessionId: session.id, method: 'visual', outcome: 'success' });
      }),
      declineVisual: enqueueActions(({ context, enqueue }) => {
        const session = s(context);
        enqueue.assign({ session: { ...toStaff(session, 'visual-declined', now()), card: undefined } });
        enqueue.emit({ type: 'authentication', sessionId: session.id, method: 'visual', outcome: 'declined' });
      }),
      clearError: assign({ session: ({ context }) => ({ ...s(context), error: undefined }) }),
      /** The checked certificate, once known: at the card read, or after the PIN for a phone token. */
      certificateChecked: enqueueActions(({ context, enqueue }) => {
        const session = s(context);
        const card = session.card;
        if (card?.certificate) enqueue.emit({ type: 'certificate', sessionId: session.id, status: card.certificateStatus, chain: card.certificate.chain });
      }),
      settleEligibility: enqueueActions(({ context, enqueue }) => {
        const session = settleConsent(s(context));
        enqueue.assign({ session });
        for (const flowEvent of eligibilityEvents(session)) enqueue.emit(flowEvent);
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
          CARD_INSERTED: { guard: 'cardIo', target: 'session', actions: assign(({ event }) => begin('card', 'reading', { cardReader: event.reader })) },
          start: { guard: 'faceFirst', target: 'session', actions: assign(() => begin('reader', 'face')) },
          'manual-path': { target: 'session', actions: assign(() => begin('manual', 'manual', { fallback: { reason: 'patient-choice', documents: [] } })) },
          'call-staff': { target: 'session', actions: assign(() => begin('manual', 'staff', { staff: { reason: 'patient-request', since: now() } })) },
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
            actions: assign(({ event }) => ({ readerProblem: null, ...begin('card', 'reading', { cardReader: event.reader }) })),
          },
          'manual-path': {
            target: 'session',
            actions: assign(({ context }) => begin('manual', 'manual', { fallback: { reason: context.readerProblem ?? 'patient-choice', documents: [] } })),
          },
          'fallback-documents': {
            target: 'session',
            actions: assign(({ context, event }) => {
              const started = begin('manual', 'manual', { fallback: { reason: context.readerProblem ?? 'patient-choice', documents: [] } });
              return started.session.next === 'manual' ? { ...started, session: decideFallback(started.session, event.documents) } : started;
            }),
          },
          'call-staff': { target: 'session', actions: assign(() => begin('manual', 'staff', { staff: { reason: 'patient-request', since: now() } })) },
        },
      },
      session: {
        initial: 'route',
        exit: [
          ({ context, event }) => {
            const session = context.session;
            if (!session) return;
            effects.end(session, endReason(event));
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
          'call-staff': [
            {
              guard: ({ context }) => context.session?.next !== 'staff',
              target: '.route',
              actions: assign({ session: ({ context }) => toStaff(s(context), 'patient-request', now()) }),
            },
            // Already waiting for staff: the button still works (help in the same place on every screen) and rings the desk again.
            {
              actions: emit(
                ({ context }) => ({ type: 'staff-needed', sessionId: sid(context), reason: s(context).staff?.reason ?? 'patient-request' }) as const,
              ),
            },
          ],
        },
        states: {
          route: {
            always: ROUTES.map((route) => ({ guard: ({ context }: { context: FlowContext }) => context.session?.next === route, target: route })),
          },
          reading: {
            on: { ...readerPhase() },
            invoke: {
              src: 'readCard',
              input: ({ context }) => ({ reader: s(context).cardReader ?? '' }),
              onDone: [
                {
                  guard: ({ context, event }) => isReadError(event.output) && context.readErrors + 1 >= config.readErrorLimit,
                  target: '#flow.fallback',
                  actions: [
                    assign({ readErrors: ({ context }) => context.readErrors + 1, readerProblem: 'read-errors' as FallbackReason }),
                    emit(({ context }) => ({ type: 'fallback', sessionId: sid(context), reason: 'read-errors' }) as const),
                  ],
                },
                {
                  target: 'route',
                  actions: [
                    assign(({ context, event }) => ({
                      readErrors: isReadError(event.output) ? context.readErrors + 1 : event.output.ok ? 0 : context.readErrors,
                      session: afterRead(s(context), event.output, rule, now()),
                    })),
                    enqueueActions(({ context, event, enqueue }) => {
                      if (!event.output.ok) return;
                      const { kind, reader, card } = event.output.value;
                      enqueue.emit({ type: 'card-read', sessionId: s(context).id, kind, reader, apduCount: card.apduCount });
                    }),
                    'certificateChecked',
                  ],
                },
              ],
            },
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
            invoke: {
              src: 'face',
              input: ({ context }) => ({ sessionId: s(context).id, since: s(context).startedAt }),
              onDone: {
                target: 'route',
                actions: [assign({ session: ({ context, event }) => afterFace(s(context), event.output, config, now()) }), 'settleEligibility'],
              },
            },
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
            invoke: {
              src: 'verifyPin',
              input: ({ context }) => ({ card: s(context).card!.card }),
              onDone: {
                target: 'route',
                actions: [
                  assign({ session: ({ context, event }) => afterPin(s(context), event.output, now()) }),
                  emit(
                    ({ context, event }) =>
                      ({
                        type: 'authentication',
                        sessionId: s(context).id,
                        method: 'pin',
                        outcome: event.output.ok
                          ? 'success'
                          : event.output.error.code === 'PIN_BLOCKED' || s(context).card?.pinTriesLeft === 0
                            ? 'blocked'
                            : 'failure',
                        ...(s(context).card?.pinTriesLeft !== undefined ? { pinTriesLeft: s(context).card!.pinTriesLeft } : {}),
                      }) as const,
                  ),
                ],
              },
            },
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
            invoke: {
              src: 'readCertificate',
              input: ({ context }) => ({ card: s(context).card!.card }),
              onDone: {
                target: 'route',
                actions: [assign({ session: ({ context, event }) => afterCertificateRead(s(context), event.output, rule, now()) }), 'certificateChecked'],
              },
            },
          },
          proving: {
            on: { ...readerPhase() },
            invoke: {
              src: 'prove',
              input: ({ context }) => ({ card: s(context).card! }),
              onDone: { target: 'route', actions: assign({ session: ({ context, event }) => afterProof(s(context), event.output, now()) }) },
            },
          },
          eligibility: {
            on: { ...readerPhase() },
            invoke: {
              src: 'lookup',
              input: ({ context }) => ({ session: s(context) }),
              onDone: {
                target: 'route',
                actions: [assign({ session: ({ context, event }) => afterCertificateLookup(s(context), event.output, config, now()) }), 'settleEligibility'],
              },
            },
          },
          'registration-offer': {
            entry: emit(({ context }) => ({ type: 'registration', sessionId: s(context).id, stage: 'offered' }) as const),
            on: {
              ...readerPhase(),
              registration: {
                target: 'route',
                actions: [
                  assign({ session: ({ context, event }) => afterRegistrationAnswer(s(context), event.agree) }),
                  emit(({ context, event }) => ({ type: 'registration', sessionId: s(context).id, stage: event.agree ? 'agreed' : 'declined' }) as const),
                ],
              },
            },
          },
          registering: {
            on: { ...readerPhase() },
            invoke: {
              src: 'register',
              input: ({ context }) => ({ session: s(context) }),
              onDone: {
                target: 'route',
                actions: [
                  assign({ session: ({ context, event }) => afterRegistration(s(context), event.output, config, now()) }),
                  emit(
                    ({ context }) =>
                      ({ type: 'registration', sessionId: s(context).id, stage: s(context).registration?.done ? 'registered' : 'failed' }) as const,
                  ),
                  'settleEligibility',
                ],
              },
            },
          },
          result: {
            on: { continue: { target: 'route', actions: assign({ session: ({ context }) => nextAfterResult(s(context), config) }) } },
          },
          'new-patient': {
            on: {
              'new-patient': [
                {
                  guard: ({ event }) => event.confirmed,
                  target: 'route',
                  actions: assign({ session: ({ context, event }) => proceed(effects.savePatient(s(context), event.phone)) }),
                },
                { target: 'route', actions: assign({ session: ({ context }) => toStaff(s(context), 'eligibility-review', now()) }) },
              ],
            },
          },
          consent: {
            on: {
              consent: {
                guard: ({ context, event }) => consentAnswers(s(context).consent?.offered ?? [], event).ok,
                target: 'route',
                actions: [
                  assign({
                    session: ({ context, event }) => {
                      const answers = consentAnswers(s(context).consent?.offered ?? [], event);
                      return answers.ok ? proceed(effects.recordConsent(s(context), answers.value, 'kiosk')) : s(context);
                    },
                  }),
                  emitEach((context) => consentEvent(s(context), false)),
                ],
              },
            },
          },
          prescription: {
            on: {
              prescription: {
                target: 'route',
                actions: assign({ session: ({ context, event }) => nextAfterResult({ ...s(context), prescription: event.choice }, config) }),
              },
            },
          },
          completing: {
            always: {
              target: 'route',
              actions: [
                assign({ session: ({ context }) => effects.complete(s(context)) }),
                emitEach((context) => {
                  const session = s(context);
                  return session.queueNumber !== undefined
                    ? [{ type: 'completed', sessionId: session.id, queueNumber: session.queueNumber, newPatient: session.isNewPatient === true }]
                    : [];
                }),
              ],
            },
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
              'fallback-documents': { target: 'route', actions: assign({ session: ({ context, event }) => decideFallback(s(context), event.documents) }) },
            },
          },
          'manual-done': {
            entry: [
              ({ context }) => effects.noteStaff(s(context)),
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

  /** Staff finished the check-in at the desk (manual entry) for the session on screen: its queue number. */
  function completedAtDesk() {
    return {
      guard: ({ context, event }: { context: FlowContext; event: MachineEvent }) =>
        event.type === 'completed-at-desk' && event.sessionId === context.session?.id,
      target: 'completed',
      actions: enqueueActions<FlowContext, MachineEvent, undefined, MachineEvent, never, never, never, never, FlowEvent>(({ context, event, enqueue }) => {
        if (event.type !== 'completed-at-desk') return;
        const session = s(context);
        enqueue.assign({ session: { ...session, staff: undefined, error: undefined, queueNumber: event.queueNumber, next: 'completed' } });
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

  /** Starts a session: the record is written before anything else happens, or the kiosk hands over to staff. */
  function begin(origin: CheckInOrigin, next: Route, extra: Partial<Session> = {}): { session: Session; idleNotices: [] } {
    const session = { ...newSession(newId(), now(), origin, next), ...extra };
    return { session: effects.begin(session), idleNotices: [] };
  }

  /** After a successful store write, continue along the remaining screens; a failed write keeps its staff route. */
  function proceed(session: Session): Session {
    return session.next === 'staff' ? session : nextAfterResult(session, config);
  }

  function decideFallback(session: Session, documents: Session['fallback'] extends infer F ? (F extends { documents: infer D } ? D : never) : never): Session {
    const reason = session.fallback?.reason ?? 'patient-choice';
    const decision = deps.decideDocuments({ date: japanDate(now()), documents, readerAvailable: false });
    return {
      ...session,
      next: 'manual-done',
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
      'approve-visual': { guard: 'visualAllowed', target: 'route', actions: 'approveVisual' },
      'decline-visual': { guard: 'visualAllowed', target: 'route', reenter: true, actions: 'declineVisual' },
    } as const;
  }

  /** After an eligibility result: note it, and record consents the reader asked itself. */
  function settleConsent(session: Session): Session {
    effects.noteAuthAndOutcome(session);
    const consent = session.consent;
    return consent?.fromReader && consent.given && !consent.recordedAt ? effects.recordConsent(session, consent.given, 'reader') : session;
  }

  /** Events of an eligibility result; reader-given and reused consents are announced here, new ones when answered. */
  function eligibilityEvents(session: Session): FlowEvent[] {
    const events: FlowEvent[] = [];
    if (session.authMethod && session.eligibility?.source === 'face') {
      events.push({ type: 'authentication', sessionId: session.id, method: session.authMethod, outcome: 'success' });
    }
    if (session.eligibility)
      events.push({ type: 'eligibility', sessionId: session.id, outcome: session.eligibility.outcome, source: session.eligibility.source });
    if (session.next === 'result' && (session.consent?.fromReader || session.consent?.reused))
      events.push(...consentEvent(session, session.consent.reused === true));
    return events;
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
    return enqueueActions<FlowContext, MachineEvent, undefined, MachineEvent, never, never, never, never, FlowEvent>(({ context, enqueue }) => {
      for (const flowEvent of build(context)) enqueue.emit(flowEvent);
    });
  }
}
