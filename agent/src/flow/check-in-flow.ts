import { createActor } from 'xstate';
import {
  causeOf,
  fail,
  FLOW_COMMAND_TYPES,
  ok,
  type DriverStatus,
  type ErrorCause,
  type FallbackReason,
  type FlowCommand,
  type FlowCommandType,
  type FlowEvent,
  type FlowSnapshot,
  type Result,
} from '@kiosk/protocol';
import type { DriverEvent } from './ports.ts';
import type { CheckInFlow, FlowListener, StaffAction } from './types.ts';
import type { FlowDeps } from './deps.ts';
import { createFlowMachine, WRITING, type MachineEvent } from './machine.ts';
import { buildSnapshot, stepOf } from './snapshot.ts';
import { consentAnswers, faceUsable, isStale, pinRefusal } from './decisions.ts';

/** A driver error of the reader or the card counts towards the read errors that send the kiosk to the manual path. */
const READ_ERROR_CAUSES: ReadonlySet<ErrorCause> = new Set(['reader', 'card']);

/** What a driver status means for the flow: usable, still starting, or why the manual path is needed. */
export function readerAvailability(status: DriverStatus): 'ok' | 'starting' | FallbackReason {
  if (status.service === 'starting') return 'starting';
  if (status.service === 'unavailable') return status.driver === 'oqs' ? 'oqs-unavailable' : 'reader-service-down';
  return status.readers.some((r) => r.state !== 'unavailable') ? 'ok' : 'no-reader';
}

/**
 * The check-in flow: one xstate actor plus what does not belong in a statechart — the PIN hand-over,
 * the idle safety timer, snapshot numbering and the listener fan-out.
 */
/**
 * One event per way a command can be accepted, so `can` holds a type when any of its payloads would be:
 * the guards look at the payload (which auth method, agree or decline), never at free text.
 */
const COMMAND_SAMPLES: Record<FlowCommandType, MachineEvent[]> = {
  start: [{ type: 'start' }],
  'set-language': [{ type: 'set-language', language: 'ja' }],
  'choose-auth': (['face', 'pin', 'visual'] as const).map((method) => ({ type: 'choose-auth', method })),
  'submit-pin': [{ type: 'submit-pin' }],
  'confirm-last-try': [true, false].map((confirm) => ({ type: 'confirm-last-try', confirm })),
  registration: [true, false].map((agree) => ({ type: 'registration', agree })),
  consent: [{ type: 'consent', all: true }],
  prescription: [{ type: 'prescription', choice: 'electronic' }],
  'new-patient': [true, false].map((confirmed) => ({ type: 'new-patient', confirmed })),
  continue: [{ type: 'continue' }],
  'manual-path': [{ type: 'manual-path' }],
  'fallback-documents': [{ type: 'fallback-documents', documents: [] }],
  'call-staff': [{ type: 'call-staff' }],
  reset: (['idle', 'patient', 'completed'] as const).map((reason) => ({ type: 'reset', reason })),
};

/** One sample per staff action: their guards read only the session id (the staff id and queue number are not weighed). */
const STAFF_ACTION_SAMPLES = (sessionId: string): StaffAction[] => [
  { type: 'approve-visual', sessionId, staffId: '' },
  { type: 'decline-visual', sessionId, staffId: '' },
  { type: 'take-over', sessionId, staffId: '' },
  { type: 'completed-at-desk', sessionId, staffId: '', queueNumber: 1 },
];

export function createCheckInFlow(deps: FlowDeps): CheckInFlow {
  let pendingPin: string | undefined;
  const machine = createFlowMachine(deps, {
    take: () => {
      const pin = pendingPin;
      pendingPin = undefined;
      return pin;
    },
  });
  const actor = createActor(machine);
  const listeners = new Set<FlowListener>();
  const pendingEvents: FlowEvent[] = [];
  let current: FlowSnapshot | undefined;
  let currentJson = '';
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let unsubscribeDriver: (() => void) | undefined;
  let running = false;

  const compute = (): FlowSnapshot => {
    const state = actor.getSnapshot();
    const body = {
      can: FLOW_COMMAND_TYPES.filter((type) => COMMAND_SAMPLES[type].some((event) => state.can(event))),
      ...buildSnapshot(stepOf(state.value), state.context, faceUsable(deps.driver.capabilities.faceAuth, state.context.reader)),
    };
    const json = JSON.stringify(body);
    if (!current || json !== currentJson) {
      current = { seq: (current?.seq ?? -1) + 1, ...(deps.config.demo ? { demo: true as const } : {}), ...body };
      currentJson = json;
      armIdleTimer(current);
      return current;
    }
    return current;
  };

  const publish = () => {
    const before = current;
    const snapshot = compute();
    const events = pendingEvents.splice(0);
    if (snapshot.sessionId !== null && snapshot.sessionId !== before?.sessionId && snapshot.startedAt) {
      events.unshift({ type: 'session-started', sessionId: snapshot.sessionId, at: snapshot.startedAt });
    }
    if (events.length === 0 && snapshot === before) return;
    for (const listener of [...listeners]) {
      if (events.length === 0) listener(snapshot);
      else for (const event of events) listener(snapshot, event);
    }
  };

  /** Safety net behind the UI's own idle warning: any screen but welcome resets after the idle time. */
  function armIdleTimer(snapshot: FlowSnapshot) {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (!running || snapshot.sessionId === null) return;
    const completed = snapshot.step === 'completed' && snapshot.queueNumber !== undefined;
    const delay = completed ? deps.config.completedResetMs : deps.config.idleTimeoutMs;
    idleTimer = setTimeout(() => deliver(completed ? { type: 'reset', reason: 'completed' } : { type: 'TIMEOUT' }), delay);
    idleTimer.unref?.();
  }

  const deliver = (event: MachineEvent) => {
    actor.send(event);
    publish();
  };

  const onDriverEvent = (event: DriverEvent) => {
    switch (event.type) {
      case 'status': {
        deliver({ type: 'READER_STATUS', status: event.status });
        const availability = readerAvailability(event.status);
        if (availability === 'ok') deliver({ type: 'READER_OK' });
        else if (availability !== 'starting') deliver({ type: 'READER_LOST', reason: availability });
        return;
      }
      case 'card-inserted':
        return deliver({ type: 'CARD_INSERTED', reader: event.reader });
      case 'card-removed': {
        // Only the card of the current session ends it; a card leaving another reader does not.
        const reader = actor.getSnapshot().context.session?.cardReader;
        if (reader !== undefined && reader !== event.reader) return;
        return deliver({ type: 'CARD_REMOVED' });
      }
      case 'error':
        if (READ_ERROR_CAUSES.has(causeOf(event.error.code))) deliver({ type: 'READ_ERROR' });
        return;
      case 'reader-result':
        return; // bound to a session only through awaitFaceResult
    }
  };

  /** A refused command leaves the state as it is; the error says why. */
  const refusal = (command: FlowCommand): Result<void> => {
    const session = actor.getSnapshot().context.session;
    if (command.type === 'choose-auth' && command.method === 'pin' && session) {
      const error = pinRefusal(session);
      if (error) return { ok: false, error };
    }
    if (command.type === 'consent' && session?.consent) {
      const answers = consentAnswers(session.consent.offered, command);
      if (!answers.ok) return answers;
    }
    return fail('INPUT_NOT_ALLOWED_NOW', undefined, { command: command.type, step: compute().step });
  };

  return {
    snapshot: compute,

    send(command) {
      if (isStale(command, actor.getSnapshot().context.session?.id ?? null)) return fail('INPUT_STALE_SESSION', undefined, { command: command.type });
      const event: MachineEvent = command.type === 'submit-pin' ? { type: 'submit-pin' } : command;
      if (!actor.getSnapshot().can(event)) return refusal(command);
      if (command.type === 'submit-pin') pendingPin = command.pin;
      try {
        deliver(event);
      } finally {
        // The verify actor took the PIN synchronously if it ran; otherwise it is dropped here.
        pendingPin = undefined;
      }
      return ok(undefined);
    },

    staffAction(action: StaffAction) {
      const session = actor.getSnapshot().context.session;
      if (!session || session.id !== action.sessionId) return fail('INPUT_STALE_SESSION');
      if (!actor.getSnapshot().can(action)) return fail('INPUT_NOT_ALLOWED_NOW', undefined, { action: action.type });
      deliver(action);
      return ok(undefined);
    },

    acceptedStaffActions(sessionId) {
      const state = actor.getSnapshot();
      if (state.context.session?.id !== sessionId) return [];
      return STAFF_ACTION_SAMPLES(sessionId)
        .filter((action) => state.can(action))
        .map((action) => action.type);
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    start() {
      if (running) return;
      running = true;
      actor.on('*', (event) => pendingEvents.push(event as FlowEvent));
      // A write state lasts only within the send that entered it: the screen is the one after its answer.
      actor.subscribe((state) => {
        if (!state.hasTag(WRITING)) publish();
      });
      actor.start();
      const interrupted = deps.store.markInterrupted(deps.clock.now());
      if (interrupted.ok) for (const sessionId of interrupted.value) pendingEvents.push({ type: 'staff-needed', sessionId, reason: 'agent-restarted' });
      else deps.logger.error({ code: interrupted.error.code }, 'could not mark interrupted check-ins');
      unsubscribeDriver = deps.driver.subscribe(onDriverEvent);
      onDriverEvent({ type: 'status', status: deps.driver.status() });
      publish();
    },

    async stop() {
      running = false;
      if (idleTimer) clearTimeout(idleTimer);
      unsubscribeDriver?.();
      actor.stop();
    },
  };
}
