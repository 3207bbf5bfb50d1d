import { fail, ok, type FlowEvent, type FlowSnapshot, type Result } from '@kiosk/protocol';
import type { OqsStaffItem } from '../drivers/oqs/store.ts';
import type { CheckInFlow, FlowListener, StaffAction } from '../flow/types.ts';
import type { ReviewQueue } from './reviews.ts';

/** A scriptable CheckInFlow for staff tests: set the snapshot, emit events, record staff actions. */
export interface FakeFlow extends CheckInFlow {
  actions: StaffAction[];
  /** The staff actions it says it accepts; by default what the real flow accepts in the step shown. */
  accepts: (sessionId: string) => Array<StaffAction['type']>;
  set(patch: Partial<FlowSnapshot>, event?: FlowEvent): void;
  answer: (action: StaffAction) => Result<void>;
}

export function createFakeFlow(): FakeFlow {
  let snapshot: FlowSnapshot = {
    seq: 0,
    can: [],
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
    accepts: (sessionId) => {
      if (sessionId !== snapshot.sessionId) return [];
      if (snapshot.step === 'visual-check') return ['approve-visual', 'decline-visual', 'take-over'];
      return snapshot.step === 'staff' ? ['take-over', 'completed-at-desk'] : ['take-over'];
    },
    acceptedStaffActions: (sessionId) => flow.accepts(sessionId),
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

/** An in-memory driver review queue that answers like the oqs driver's: unknown id, already resolved. */
export interface FakeReviewQueue extends ReviewQueue {
  items: OqsStaffItem[];
  add(item: Omit<OqsStaffItem, 'id' | 'sessionIds'> & { sessionIds?: string[] }): OqsStaffItem;
}

export function createFakeReviewQueue(): FakeReviewQueue {
  const queue: FakeReviewQueue = {
    items: [],
    add(item) {
      const added = { sessionIds: [], ...item, id: queue.items.length + 1 };
      queue.items.push(added);
      return added;
    },
    list: (options) => queue.items.filter((i) => options?.includeResolved || !i.resolution),
    resolve(id, by, resolution) {
      const item = queue.items.find((i) => i.id === id);
      if (!item) return fail('INPUT_INVALID', 'No such staff item');
      if (item.resolution) return fail('INPUT_NOT_ALLOWED_NOW', 'The item is already resolved');
      Object.assign(item, { resolution, resolvedBy: by, resolvedAt: new Date(0).toISOString() });
      return ok(undefined);
    },
  };
  return queue;
}
