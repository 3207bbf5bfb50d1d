import type { SnapshotFrom } from 'xstate';
import type { FlowSnapshot, FlowStep } from '@kiosk/protocol';
import type { createFlowMachine } from './machine.ts';
import type { FlowContext, Session } from './context.ts';
import { authMethods } from './decisions.ts';
import { birthYearPrefix, maskName } from './privacy.ts';
import { japanDate } from '../clock.ts';

/** The machine's states, as its type says: the steps are its own keys, never a copy. */
type StateValue = SnapshotFrom<ReturnType<typeof createFlowMachine>>['value'];
type SessionState = Extract<StateValue, { session: string }>['session'];

/**
 * Session states that are not themselves screens show the screen of the work they do; every other
 * state is a screen of its own name (checked by the compiler in stepOf). The write states (tagged
 * `writing`) end within the send that entered them and are never published.
 */
const STEP_OF_STATE = {
  beginning: 'welcome',
  'pin-verifying': 'verifying',
  'reading-certificate': 'verifying',
  proving: 'verifying',
  'recording-reader-consent': 'eligibility',
  'saving-patient': 'new-patient',
  'recording-consent': 'consent',
  completing: 'completed',
  manual: 'fallback',
  'manual-done': 'fallback',
} as const satisfies Partial<Record<SessionState, FlowStep>>;
type WorkState = keyof typeof STEP_OF_STATE;

const isWorkState = (state: SessionState): state is WorkState => Object.hasOwn(STEP_OF_STATE, state);

export function stepOf(value: StateValue): FlowStep {
  if (typeof value === 'string') return value;
  const state = value.session;
  if (isWorkState(state)) return STEP_OF_STATE[state];
  const screen: FlowStep = state;
  return screen;
}

const AUTH_STEPS = new Set<FlowStep>([
  'choose-auth',
  'face',
  'pin',
  'pin-confirm-last-try',
  'visual-check',
  'verifying',
  'registration-offer',
  'registering',
  'staff',
]);
const PATIENT_STEPS = new Set<FlowStep>(['result', 'new-patient', 'consent', 'prescription', 'completed']);

/**
 * The screen as the UI may see it, without seq. Personal data leaves only masked, and only on the
 * steps where the patient must recognise it.
 */
export function buildSnapshot(step: FlowStep, context: FlowContext, faceAuth: boolean): Omit<FlowSnapshot, 'seq' | 'can'> {
  const session = context.session;
  const base = { sessionId: session?.id ?? null, step, language: context.language, reader: context.reader };
  if (!session) {
    return {
      ...base,
      notices: context.idleNotices,
      ...(step === 'fallback' ? { fallback: { reason: context.readerProblem ?? 'no-reader', documents: [] } } : {}),
    };
  }
  return { ...base, ...sessionParts(step, session, faceAuth) };
}

function sessionParts(step: FlowStep, session: Session, faceAuth: boolean): Omit<FlowSnapshot, 'seq' | 'can' | 'sessionId' | 'step' | 'language' | 'reader'> {
  const person = session.eligibility?.people[0];
  const card = session.card;
  return {
    startedAt: session.startedAt.toISOString(),
    notices: session.notices,
    ...(session.card ? { card: { kind: session.card.kind, hasPin: session.card.hasPin } } : {}),
    ...(session.card && AUTH_STEPS.has(step)
      ? {
          auth: {
            methods: authMethods(session, faceAuth),
            ...(session.authMethod ? { method: session.authMethod } : {}),
            ...(session.card.pinTriesLeft !== undefined ? { pinTriesLeft: session.card.pinTriesLeft } : {}),
            pinFailures: session.pinFailures,
            purpose: session.authPurpose,
          },
        }
      : {}),
    ...(card?.certificate ? { certificate: { status: card.certificateStatus, notAfter: japanDate(card.certificate.notAfter) } } : {}),
    ...(person && PATIENT_STEPS.has(step)
      ? {
          patient: {
            maskedName: maskName(person.name),
            birthYearPrefix: birthYearPrefix(person.birthDate),
            isNewPatient: session.isNewPatient === true,
            ...(person.copayPercent !== undefined ? { copayPercent: person.copayPercent } : {}),
          },
        }
      : {}),
    ...(session.eligibility ? { eligibility: { outcome: session.eligibility.outcome } } : {}),
    ...(session.consent
      ? {
          consent: {
            offered: session.consent.offered,
            ...(session.consent.given ? { given: session.consent.given } : {}),
            ...(session.consent.recordedAt ? { recordedAt: session.consent.recordedAt.toISOString() } : {}),
          },
        }
      : {}),
    ...(session.prescription || step === 'prescription' ? { prescription: session.prescription ? { choice: session.prescription } : {} } : {}),
    ...(session.registration ? { registration: session.registration } : {}),
    ...(session.fallback ? { fallback: session.fallback } : {}),
    ...(session.staff ? { staff: { reason: session.staff.reason, since: session.staff.since.toISOString() } } : {}),
    ...(session.queueNumber !== undefined ? { queueNumber: session.queueNumber } : {}),
    ...(session.error ? { error: session.error } : {}),
  };
}
