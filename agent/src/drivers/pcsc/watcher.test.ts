import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DriverEvent } from '../../flow/ports.ts';
import { systemClock } from '../../clock.ts';
import { silentLogger } from '../../logger.ts';
import { ReaderWatcher, type WatcherOptions } from './watcher.ts';
import { FakePort, pcscError, RPC_TRANSPORT_ERROR, SERVICE_NOT_AVAILABLE } from './fakes.test-support.ts';

function setup(options: WatcherOptions = {}) {
  const port = new FakePort();
  const events: DriverEvent[] = [];
  const watcher = new ReaderWatcher(port, options, { clock: systemClock, logger: silentLogger, emit: (e) => events.push(e) });
  const cardEvents = () => events.filter((e) => e.type === 'card-inserted' || e.type === 'card-removed');
  const lastStatus = () => events.filter((e) => e.type === 'status').at(-1);
  return { port, events, watcher, cardEvents, lastStatus };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('start-up', () => {
  it('stays "starting" during the debounce, then reports ok with no reader', () => {
    const { watcher } = setup({ startupDebounceMs: 1500 });
    watcher.start();
    expect(watcher.status()).toMatchObject({ service: 'starting', readers: [] });
    vi.advanceTimersByTime(1499);
    expect(watcher.status().service).toBe('starting');
    vi.advanceTimersByTime(1);
    expect(watcher.status()).toMatchObject({ service: 'ok', readers: [], detail: expect.stringContaining('no card reader') });
  });

  it('is ok as soon as a reader reports its state', () => {
    const { port, watcher } = setup({ startupDebounceMs: 1500 });
    watcher.start();
    port.current.addReader('R1').empty();
    expect(watcher.status()).toEqual({ driver: 'pcsc', service: 'ok', readers: [{ name: 'R1', driver: 'pcsc', state: 'empty' }] });
  });

  it('waits until every announced reader has told its state before listing any', () => {
    const { port, watcher } = setup();
    watcher.start();
    const a = port.current.addReader('A');
    const b = port.current.addReader('B');
    a.empty();
    expect(watcher.status()).toMatchObject({ service: 'starting' });
    b.insert();
    expect(watcher.status()).toMatchObject({
      service: 'ok',
      readers: [
        { name: 'A', state: 'empty' },
        { name: 'B', state: 'present' },
      ],
    });
  });

  it('reports pcscd down at start and retries with a doubling backoff capped at the maximum', () => {
    const { port, watcher } = setup({ backoffInitialMs: 500, backoffMaxMs: 2000 });
    port.down = SERVICE_NOT_AVAILABLE();
    watcher.start();
    expect(watcher.status()).toMatchObject({ service: 'unavailable', detail: expect.stringContaining('pcscd') });
    expect(port.attempts).toBe(1);
    const attemptsAfter = (ms: number) => {
      vi.advanceTimersByTime(ms);
      return port.attempts;
    };
    expect(attemptsAfter(499)).toBe(1);
    expect(attemptsAfter(1)).toBe(2); // 500
    expect(attemptsAfter(1000)).toBe(3); // 1000
    expect(attemptsAfter(2000)).toBe(4); // 2000
    expect(attemptsAfter(2000)).toBe(5); // capped at 2000
    port.down = undefined;
    vi.advanceTimersByTime(2000);
    port.current.addReader('R1').insert();
    expect(watcher.status().service).toBe('ok');
  });
});

describe('cards', () => {
  it('emits one card-inserted and one card-removed despite repeated statuses', () => {
    const { port, watcher, cardEvents } = setup();
    watcher.start();
    const reader = port.current.addReader('R1');
    reader.empty();
    reader.empty();
    reader.insert();
    reader.insert();
    reader.empty();
    reader.empty();
    expect(cardEvents()).toEqual([
      { type: 'card-inserted', reader: 'R1', atr: '3B858001766361726466' },
      { type: 'card-removed', reader: 'R1' },
    ]);
  });

  it('reports a card already present at start-up', () => {
    const { port, watcher, cardEvents } = setup();
    watcher.start();
    port.current.addReader('R1').insert([0x3b, 0x01]);
    expect(cardEvents()).toEqual([{ type: 'card-inserted', reader: 'R1', atr: '3B01' }]);
    expect(watcher.status().readers).toEqual([{ name: 'R1', driver: 'pcsc', state: 'present' }]);
  });

  it('treats a card swapped between two polls (new ATR) as a removal and an insertion', () => {
    const { port, watcher, cardEvents } = setup();
    watcher.start();
    const reader = port.current.addReader('R1');
    reader.insert([0x3b, 0x01]);
    reader.insert([0x3b, 0x02]);
    expect(cardEvents().map((e) => e.type)).toEqual(['card-inserted', 'card-removed', 'card-inserted']);
  });

  it('counts a mute card (no ATR) as absent', () => {
    const { port, watcher, cardEvents } = setup();
    watcher.start();
    port.current.addReader('R1').emit('status', { state: 0x0020 | 0x0200, atr: undefined });
    expect(cardEvents()).toEqual([]);
  });

  it('keeps state per reader', () => {
    const { port, watcher, cardEvents } = setup();
    watcher.start();
    const a = port.current.addReader('A');
    const b = port.current.addReader('B');
    a.insert();
    b.empty();
    b.insert();
    a.empty();
    expect(cardEvents().map((e) => `${e.type} ${'reader' in e ? e.reader : ''}`)).toEqual(['card-inserted A', 'card-inserted B', 'card-removed A']);
    expect(watcher.status().readers.map((r) => [r.name, r.state])).toEqual([
      ['A', 'empty'],
      ['B', 'present'],
    ]);
  });

  it("counts a reader's end as removal of its card and drops the reader", () => {
    const { port, watcher, cardEvents } = setup();
    watcher.start();
    const reader = port.current.addReader('R1');
    reader.insert();
    reader.emit('end');
    expect(cardEvents().map((e) => e.type)).toEqual(['card-inserted', 'card-removed']);
    expect(watcher.status().readers).toEqual([]);
  });
});

describe('reader selection', () => {
  it('ignores readers outside the allow-list (case-insensitive substring) and orders by preference', () => {
    const { port, watcher, cardEvents } = setup({ readerAllow: ['pasori', 'acr'], readerPrefer: ['acr'] });
    watcher.start();
    const other = port.current.addReader('Virtual PCD 00 00');
    port.current.addReader('SONY FeliCa Port/PaSoRi 4.0 00 00').empty();
    port.current.addReader('ACS ACR39U 01 00').empty();
    other.insert();
    expect(cardEvents()).toEqual([]);
    expect(watcher.status().readers.map((r) => r.name)).toEqual(['ACS ACR39U 01 00', 'SONY FeliCa Port/PaSoRi 4.0 00 00']);
  });
});

describe('pcscd lost while running', () => {
  it('removes cards, closes every reader and the context, reports unavailable and re-creates the context', () => {
    const { port, watcher, cardEvents, lastStatus } = setup({ backoffInitialMs: 500 });
    watcher.start();
    const first = port.current;
    const reader = first.addReader('R1');
    const ignored = first.addReader('R2');
    reader.insert();
    reader.emit('error', RPC_TRANSPORT_ERROR());
    reader.emit('end');
    first.emit('error', RPC_TRANSPORT_ERROR());
    expect(cardEvents().map((e) => e.type)).toEqual(['card-inserted', 'card-removed']);
    expect([reader.closed, ignored.closed, first.closed]).toEqual([true, true, true]);
    expect(lastStatus()).toMatchObject({ status: { service: 'unavailable', readers: [] } });

    port.down = SERVICE_NOT_AVAILABLE(); // pcscd still gone at the first retry
    vi.advanceTimersByTime(500);
    expect(port.contexts).toHaveLength(1);
    port.down = undefined;
    vi.advanceTimersByTime(1000);
    expect(port.contexts).toHaveLength(2);
    port.current.addReader('R1').insert();
    expect(watcher.status()).toMatchObject({ service: 'ok', readers: [{ name: 'R1', state: 'present' }] });
    expect(cardEvents().map((e) => e.type)).toEqual(['card-inserted', 'card-removed', 'card-inserted']);
  });

  it('ignores events from a context it already dropped', () => {
    const { port, watcher, cardEvents } = setup();
    watcher.start();
    const old = port.current.addReader('R1');
    port.current.emit('error', RPC_TRANSPORT_ERROR());
    old.insert();
    old.emit('end');
    expect(cardEvents()).toEqual([]);
  });

  it('only logs errors that are not a service loss', () => {
    const { port, watcher } = setup();
    watcher.start();
    const reader = port.current.addReader('R1');
    reader.empty();
    reader.emit('error', pcscError('SCardGetStatusChange', 'Unknown error', 0x80100014));
    expect(watcher.status().service).toBe('ok');
    expect(port.contexts).toHaveLength(1);
  });
});

describe('stop', () => {
  it('closes every reader, then the context, swallows "Command cancelled" and stops retrying', () => {
    const { port, watcher } = setup();
    watcher.start();
    const a = port.current.addReader('A');
    const b = port.current.addReader('B');
    watcher.stop();
    expect([a.closed, b.closed, port.current.closed]).toEqual([true, true, true]);
    port.down = SERVICE_NOT_AVAILABLE();
    vi.advanceTimersByTime(60_000);
    expect(port.attempts).toBe(1);
  });
});
