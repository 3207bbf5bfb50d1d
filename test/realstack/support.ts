/**
 * Helpers for the real-stack tests: pcscd + vpcd (scripts/pcsc-stack.sh) + the virtual My Number card
 * (mocks/src/card) + the agent's pcsc driver through the npm pcsclite binding.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import type { DriverEvent, ReaderDriver } from '@kiosk/agent/flow/ports.ts';
import { createPcscDriver } from '@kiosk/agent/drivers/pcsc/index.ts';
import { systemClock } from '@kiosk/agent/clock.ts';
import { silentLogger } from '@kiosk/agent/logger.ts';
import { cardImage, MemoryPinCounters, VirtualMyNumberCard, VpcdCardClient } from '@kiosk/mocks/card/index.ts';
import type { ProfileId } from '@kiosk/mocks/card/index.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const READERS = ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const;
/** pcscd polls presence every 400 ms: events may take that long (pcsc-test-stack.md gotcha 2). */
export const EVENT_TIMEOUT_MS = 5_000;

/**
 * The describe to use at the top of each real-stack file. Without KIOSK_REALSTACK=1 the suite is
 * skipped loudly, or, on CI, replaced by a failing test: CI must never pass by skipping.
 */
export function realstackDescribe(title: string): typeof describe | ((name: string, body: () => void) => void) {
  if (process.env.KIOSK_REALSTACK === '1') return describe;
  const reason =
    'KIOSK_REALSTACK is not 1: the pcscd + vpcd stack is not up (run: bash scripts/pcsc-stack.sh install && ' +
    'bash scripts/pcsc-stack.sh start && bash scripts/pcsc-stack.sh wait, then KIOSK_REALSTACK=1 npx vitest run --project realstack)';
  if (process.env.CI === 'true') {
    return (name: string) =>
      describe(name, () => {
        it('needs the real PC/SC stack', () => {
          throw new Error(`${title}: ${reason}`);
        });
      });
  }
  console.warn(`[realstack] SKIPPED ${title}: ${reason}`);
  return describe.skip;
}

/** Runs scripts/pcsc-stack.sh with the given command. */
export async function pcscStack(command: 'start' | 'wait' | 'stop' | 'status'): Promise<void> {
  await promisify(execFile)('bash', [`${REPO_ROOT}scripts/pcsc-stack.sh`, command], { cwd: REPO_ROOT });
}

/** Collects driver events and lets a test wait for the next one that matches. */
export class EventLog {
  readonly events: DriverEvent[] = [];
  #waiters: { match: (e: DriverEvent) => boolean; resolve: (e: DriverEvent) => void }[] = [];

  constructor(driver: ReaderDriver) {
    driver.subscribe((event) => {
      this.events.push(event);
      for (const waiter of [...this.#waiters]) {
        if (waiter.match(event)) {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          waiter.resolve(event);
        }
      }
    });
  }

  /** Resolves with the first event from now on that matches; rejects after the timeout. */
  next<T extends DriverEvent>(match: (e: DriverEvent) => e is T, timeoutMs?: number, label?: string): Promise<T>;
  next(match: (e: DriverEvent) => boolean, timeoutMs?: number, label?: string): Promise<DriverEvent>;
  next(match: (e: DriverEvent) => boolean, timeoutMs = EVENT_TIMEOUT_MS, label = 'driver event'): Promise<DriverEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (e: DriverEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.#waiters.push(waiter);
    });
  }
}

export const inserted = (reader: string) => (e: DriverEvent) => e.type === 'card-inserted' && e.reader === reader;
export const removed = (reader: string) => (e: DriverEvent) => e.type === 'card-removed' && e.reader === reader;
export const serviceIs = (service: string) => (e: DriverEvent) => e.type === 'status' && e.status.service === service;

/** Starts a pcsc driver and waits until it has seen both virtual readers. */
export async function startDriver(): Promise<{ driver: ReaderDriver; log: EventLog }> {
  const driver = createPcscDriver({ startupDebounceMs: 1500, settleMs: 50 }, { clock: systemClock, logger: silentLogger });
  const log = new EventLog(driver);
  const ready = log.next(serviceIs('ok'), 10_000, 'service ok');
  await driver.start();
  await ready;
  return { driver, log };
}

/** A virtual card of a profile, with its own PIN counters. */
export async function virtualCard(profile: ProfileId, now = new Date()): Promise<VirtualMyNumberCard> {
  return new VirtualMyNumberCard(await cardImage(profile, now), { counters: new MemoryPinCounters() });
}

/** Inserts a card into a vpcd slot and waits for the driver to report it. */
export async function insertCard(log: EventLog, card: VirtualMyNumberCard, slot: 0 | 1 = 0): Promise<VpcdCardClient> {
  const client = new VpcdCardClient(card, { slot });
  const seen = log.next(inserted(READERS[slot]), EVENT_TIMEOUT_MS, `card-inserted on ${READERS[slot]}`);
  const result = await client.insert();
  if (!result.ok) throw new Error(result.error.message);
  await seen;
  return client;
}

/** Removes the card and waits until the driver saw the slot empty (one card per slot: gotcha 4). */
export async function removeCard(log: EventLog, client: VpcdCardClient, slot: 0 | 1 = 0): Promise<void> {
  if (!client.inserted) return;
  const gone = log.next(removed(READERS[slot]), EVENT_TIMEOUT_MS, `card-removed on ${READERS[slot]}`);
  await client.remove();
  await gone;
}
