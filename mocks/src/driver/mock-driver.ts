import { fail, ok, type DriverStatus, type Result } from '@kiosk/protocol';
import { DriverEvents, type CardChannel, type FaceWaitRequest, type ReaderDriver, type ReaderResult } from '@kiosk/agent/flow/ports.ts';
import type { EligibilityResult } from '@kiosk/agent/flow/ports.ts';
import { ACTIONS, findScenario, type ReaderAction, type Scenario } from './scenarios.ts';

export const MOCK_READER = 'Mock Face Reader 00';

/** Places a virtual card of a profile on the mock reader (mocks/src/card in-process). */
export interface VirtualCardSource {
  place(profile: string, options: { pinTriesLeft?: number; removeAfterApdus?: number; onRemoved: () => void }): Promise<{ atr: string; open(): CardChannel }>;
}

export interface MockDriverDeps {
  cards: VirtualCardSource;
  /** The reader's own eligibility result for a face-authenticated patient of the current scenario. */
  faceEligibility(scenario: Scenario): Promise<EligibilityResult>;
  now(): Date;
}

export interface MockDriver extends ReaderDriver {
  /** Plays a scenario or a reader action; resolves once the card (if any) is on the reader. */
  play(name: string): Promise<Result<Scenario | { name: ReaderAction }>>;
  current(): Scenario | undefined;
}

/**
 * The scripted mock reader: a face-auth reader with a card slot. Playing a scenario resets the reader
 * to the scenario's starting state, places its card, and schedules its later events.
 */
export function createMockDriver(deps: MockDriverDeps): MockDriver {
  const events = new DriverEvents();
  let service: DriverStatus['service'] = 'ok';
  let readerPresent = true;
  let card: { atr: string; open(): CardChannel; removed: boolean } | undefined;
  let scenario: Scenario | undefined;
  let timers: NodeJS.Timeout[] = [];

  const status = (): DriverStatus => ({
    driver: 'mock',
    service,
    readers: service === 'ok' && readerPresent ? [{ name: MOCK_READER, driver: 'mock', state: card && !card.removed ? 'present' : 'empty' }] : [],
    ...(service === 'unavailable' ? { detail: 'mock: smart-card service stopped' } : {}),
  });
  const publish = () => events.emit({ type: 'status', status: status() });

  function removeCard(): void {
    if (!card || card.removed) return;
    card.removed = true;
    card = undefined;
    events.emit({ type: 'card-removed', reader: MOCK_READER });
    publish();
  }

  function apply(action: ReaderAction): void {
    switch (action) {
      case 'remove-card':
        return removeCard();
      case 'unplug-reader':
        removeCard();
        readerPresent = false;
        return publish();
      case 'plug-reader':
        readerPresent = true;
        return publish();
      case 'service-down':
        removeCard();
        service = 'unavailable';
        return publish();
      case 'service-up':
        service = 'ok';
        return publish();
    }
  }

  async function start(next: Scenario): Promise<void> {
    for (const t of timers) clearTimeout(t);
    timers = [];
    removeCard();
    scenario = next;
    service = next.reader === 'service-down' ? 'unavailable' : 'ok';
    readerPresent = next.reader === 'present';
    publish();
    if (next.card && readerPresent && service === 'ok') {
      const placed = await deps.cards.place(next.card.profile, {
        ...(next.card.pinTriesLeft !== undefined ? { pinTriesLeft: next.card.pinTriesLeft } : {}),
        ...(next.card.removeAfterApdus !== undefined ? { removeAfterApdus: next.card.removeAfterApdus } : {}),
        onRemoved: () => removeCard(),
      });
      card = { ...placed, removed: false };
      events.emit({ type: 'card-inserted', reader: MOCK_READER, atr: placed.atr });
      publish();
    }
    for (const step of next.later ?? []) timers.push(setTimeout(() => apply(step.action), step.afterMs));
  }

  return {
    kind: 'mock',
    capabilities: { cardIo: true, faceAuth: true },
    async start() {
      publish();
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      timers = [];
    },
    status,
    subscribe: (listener) => events.subscribe(listener),
    current: () => scenario,
    async play(name) {
      const action = ACTIONS.find((a) => a.name === name);
      if (action) {
        apply(action.name);
        return ok({ name: action.name });
      }
      const found = findScenario(name);
      if (!found) return fail('INPUT_INVALID', `Unknown scenario "${name.slice(0, 60)}"`);
      await start(found);
      return ok(found);
    },
    async openCard(reader) {
      if (service !== 'ok') return fail('READER_SERVICE_UNAVAILABLE');
      if (!readerPresent || reader !== MOCK_READER) return fail('READER_NOT_FOUND');
      if (!card || card.removed) return fail('CARD_NOT_PRESENT');
      return ok(card.open());
    },
    async awaitFaceResult(request: FaceWaitRequest, signal: AbortSignal): Promise<Result<ReaderResult>> {
      const face = scenario?.face;
      if (!scenario || !face) return fail('FACE_NOT_MATCHED', 'This mock scenario has no face authentication');
      const current = scenario;
      const waited = await abortableDelay(face.delayMs ?? 800, signal);
      if (!waited) return fail('ELIGIBILITY_TIMEOUT', 'Face authentication was cancelled');
      if (face.outcome === 'failure') return fail('FACE_NOT_MATCHED');
      const eligibility = await deps.faceEligibility(current);
      return ok({ sourceId: `mock-face-${request.sessionId}`, generatedAt: deps.now().toISOString(), eligibility: { ...eligibility, authMethod: 'face' } });
    },
  };
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve(false);
      },
      { once: true },
    );
  });
}
