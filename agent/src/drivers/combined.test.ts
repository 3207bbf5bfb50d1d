import { describe, expect, it, vi } from 'vitest';
import { fail, ok, type DriverKind, type DriverStatus, type Result } from '@kiosk/protocol';
import { combineDrivers, mergeStatus } from './combined.ts';
import { DriverEvents, type CardChannel, type DriverEvent, type FaceWaitRequest, type ReaderDriver, type ReaderResult } from '../flow/ports.ts';

/** A scriptable driver: tests set its status, make it emit, and make start/stop throw. */
class FakeDriver implements ReaderDriver {
  readonly events = new DriverEvents();
  current: DriverStatus;
  startError: Error | undefined;
  stopError: Error | undefined;
  stopped = false;
  openCard?: (reader: string) => Promise<Result<CardChannel>>;
  awaitFaceResult?: (request: FaceWaitRequest, signal: AbortSignal) => Promise<Result<ReaderResult>>;

  constructor(
    readonly kind: DriverKind,
    readonly capabilities: { cardIo: boolean; faceAuth: boolean },
    readers: string[],
  ) {
    this.current = { driver: kind, service: 'ok', readers: readers.map((name) => ({ name, driver: kind, state: 'empty' })) };
  }
  async start() {
    if (this.startError) throw this.startError;
  }
  async stop() {
    this.stopped = true;
    if (this.stopError) throw this.stopError;
  }
  status = () => this.current;
  subscribe = (listener: (event: DriverEvent) => void) => this.events.subscribe(listener);
  setStatus(next: Partial<DriverStatus>) {
    this.current = { ...this.current, ...next };
    this.events.emit({ type: 'status', status: this.current });
  }
}

const channel = (reader: string): CardChannel => ({ reader, atr: '3B', transmit: async () => ok(new Uint8Array()), close: async () => undefined });
const faceResult: ReaderResult = {
  sourceId: 'face.xml',
  generatedAt: '2026-11-22T10:15:31+09:00',
  eligibility: { outcome: 'valid', source: 'face', people: [] },
};

function setup() {
  const card = new FakeDriver('pcsc', { cardIo: true, faceAuth: false }, ['PC/SC reader']);
  card.openCard = vi.fn(async (reader: string) => ok(channel(reader)));
  const face = new FakeDriver('oqs', { cardIo: false, faceAuth: true }, ['/mnt/oqs/face']);
  face.awaitFaceResult = vi.fn(async () => ok(faceResult));
  const driver = combineDrivers('pcsc+oqs', [card, face]);
  const seen: DriverEvent[] = [];
  driver.subscribe((e) => seen.push(e));
  return { card, face, driver, seen };
}

describe('combineDrivers', () => {
  it('has the capabilities of both parts and routes card I/O and face waits to the part that can', async () => {
    const { card, face, driver } = setup();
    expect(driver.kind).toBe('pcsc+oqs');
    expect(driver.capabilities).toEqual({ cardIo: true, faceAuth: true });
    const opened = await driver.openCard!('PC/SC reader');
    expect(opened.ok && opened.value.reader).toBe('PC/SC reader');
    expect(card.openCard).toHaveBeenCalledWith('PC/SC reader');
    expect(await driver.openCard!('/mnt/oqs/face')).toMatchObject({ ok: false, error: { code: 'READER_NOT_FOUND' } });
    const request = { sessionId: 's1', since: new Date() };
    const signal = new AbortController().signal;
    expect(await driver.awaitFaceResult!(request, signal)).toEqual(ok(faceResult));
    expect(face.awaitFaceResult).toHaveBeenCalledWith(request, signal);
  });

  it('offers no card I/O or face wait that no part has', () => {
    const a = new FakeDriver('oqs', { cardIo: false, faceAuth: true }, []);
    a.awaitFaceResult = async () => fail('ELIGIBILITY_TIMEOUT');
    const onlyFace = combineDrivers('pcsc+oqs', [a, new FakeDriver('pcsc', { cardIo: false, faceAuth: false }, [])]);
    expect(onlyFace.capabilities).toEqual({ cardIo: false, faceAuth: true });
    expect(onlyFace.openCard).toBeUndefined();
  });

  it('forwards every part event and turns part statuses into one merged status, each change once', () => {
    const { card, face, seen } = setup();
    card.events.emit({ type: 'card-inserted', reader: 'PC/SC reader', atr: '3B' });
    face.events.emit({ type: 'reader-result', result: faceResult });
    face.setStatus({
      service: 'unavailable',
      readers: [{ name: '/mnt/oqs/face', driver: 'oqs', state: 'unavailable' }],
      detail: 'face folder not reachable (ENOENT)',
    });
    face.setStatus({}); // the same status again: nothing new for the flow
    expect(seen.map((e) => e.type)).toEqual(['card-inserted', 'reader-result', 'status']);
    expect(seen[2]).toEqual({
      type: 'status',
      status: {
        driver: 'pcsc+oqs',
        service: 'ok',
        readers: [
          { name: 'PC/SC reader', driver: 'pcsc', state: 'empty' },
          { name: '/mnt/oqs/face', driver: 'oqs', state: 'unavailable' },
        ],
        detail: 'oqs: face folder not reachable (ENOENT)',
      },
    });
  });

  it('merges status: usable while one part is, starting before, unavailable only when all are down', () => {
    const up = (driver: DriverKind): DriverStatus => ({ driver, service: 'ok', readers: [{ name: driver, driver, state: 'present' }] });
    const down = (driver: DriverKind): DriverStatus => ({ driver, service: 'unavailable', readers: [], detail: `${driver} down` });
    const starting = (driver: DriverKind): DriverStatus => ({ driver, service: 'starting', readers: [] });
    expect(mergeStatus('pcsc+oqs', [up('pcsc'), up('oqs')])).toEqual({
      driver: 'pcsc+oqs',
      service: 'ok',
      readers: [...up('pcsc').readers, ...up('oqs').readers],
    });
    expect(mergeStatus('pcsc+oqs', [starting('pcsc'), down('oqs')])).toMatchObject({ service: 'starting', detail: 'pcsc: starting; oqs: oqs down' });
    const allDown = mergeStatus('pcsc+oqs', [down('pcsc'), down('oqs')]);
    expect(allDown.service).toBe('unavailable');
    // A part that lists no reader while down still shows up as an unavailable reader for staff.
    expect(allDown.readers).toEqual([
      { name: 'pcsc service', driver: 'pcsc', state: 'unavailable' },
      { name: 'oqs service', driver: 'oqs', state: 'unavailable' },
    ]);
    expect(mergeStatus('pcsc+oqs', [{ ...up('pcsc'), service: 'unavailable' }, up('oqs')]).readers[0]).toMatchObject({ driver: 'pcsc', state: 'unavailable' });
  });

  it('stop closes both parts even if one throws, then reports the failure', async () => {
    const { card, face, driver } = setup();
    card.stopError = new Error('pcsc stop failed');
    await expect(driver.stop()).rejects.toThrow('pcsc stop failed');
    expect([card.stopped, face.stopped]).toEqual([true, true]);
    card.stopError = undefined;
    await expect(driver.stop()).resolves.toBeUndefined();
  });

  it('a part that fails to start is reported down while the other runs', async () => {
    const { card, face, driver, seen } = setup();
    face.startError = new Error('EACCES');
    await expect(driver.start()).resolves.toBeUndefined();
    expect(driver.status()).toMatchObject({
      service: 'ok',
      readers: [
        { driver: 'pcsc', state: 'empty' },
        { name: 'oqs service', driver: 'oqs', state: 'unavailable' },
      ],
      detail: 'oqs: failed to start (EACCES)',
    });
    expect(seen.filter((e) => e.type === 'error')).toEqual([
      { type: 'error', error: expect.objectContaining({ code: 'READER_DRIVER_UNAVAILABLE', details: { driver: 'oqs' } }) },
    ]);
    face.startError = undefined;
    await driver.start();
    expect(driver.status().detail).toBeUndefined();
    card.startError = new Error('no pcscd');
    face.startError = new Error('no share');
    await expect(driver.start()).rejects.toThrow('no pcscd');
  });
});
