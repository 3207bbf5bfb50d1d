import { ok, type FlowEvent, type FlowSnapshot, type Result } from '@kiosk/protocol';
import type { CheckInFlow, FlowListener, StaffAction } from '../flow/types.ts';

/** A scriptable CheckInFlow for staff tests: set the snapshot, emit events, record staff actions. */
export interface FakeFlow extends CheckInFlow {
  actions: StaffAction[];
  set(patch: Partial<FlowSnapshot>, event?: FlowEvent): void;
  answer: (action: StaffAction) => Result<void>;
}

export function createFakeFlow(): FakeFlow {
  let snapshot: FlowSnapshot = {
    seq: 0,
    sessionId: null,
    step: 'welcome',
    language: 'ja',
    reader: { driver: 'mock', service: 'ok', readers: [{ name: 'Mock Reader', driver: 'mock', state: 'empty' }] },
    notices: [],
  };
  const listeners = new Set<FlowListener>();
  const flow: FakeFlow = {
    actions: [],
    answer: () => ok(undefined),
    snapshot: () => snapshot,
    send: () => ok(undefined),
    staffAction(action) {
      flow.actions.push(action);
      return flow.answer(action);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: () => {},
    stop: async () => {},
    set(patch, event) {
      snapshot = { ...snapshot, ...patch, seq: snapshot.seq + 1 };
      for (const listener of listeners) listener(snapshot, event);
    },
  };
  return flow;
}
