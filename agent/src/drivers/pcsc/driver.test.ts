import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DriverEvent } from '../../flow/ports.ts';
import { systemClock } from '../../clock.ts';
import { silentLogger } from '../../logger.ts';
import { createPcscDriver } from './driver.ts';
import { FakePort, pcscError, RPC_TRANSPORT_ERROR } from './fakes.test-support.ts';

const SELECT = Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, 0x02, 0x3f, 0x00]);
const REMOVED = () => pcscError('SCardTransmit', 'Card was removed', 0x80100069);
const COMM = () => pcscError('SCardTransmit', 'Transaction failed', 0x80100016);

async function setup(settleMs = 200) {
  const port = new FakePort();
  const events: DriverEvent[] = [];
  const driver = createPcscDriver({ settleMs }, { clock: systemClock, logger: silentLogger, port });
  driver.subscribe((e) => events.push(e));
  await driver.start();
  const reader = port.current.addReader('R1');
  reader.insert();
  return { port, driver, reader, events };
}

/** openCard may pause before a retry; fake timers let the test move past it. */
async function open(driver: Awaited<ReturnType<typeof setup>>['driver'], name = 'R1') {
  const pending = driver.openCard!(name);
  await vi.advanceTimersByTimeAsync(1000);
  return pending;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createPcscDriver', () => {
  it('describes itself as a card-I/O driver', async () => {
    const { driver } = await setup();
    expect(driver.kind).toBe('pcsc');
    expect(driver.capabilities).toEqual({ cardIo: true, faceAuth: false });
  });

  it('connects a freshly inserted card at once, with no settle delay, then exchanges APDUs', async () => {
    const { driver, reader } = await setup(200);
    const pending = driver.openCard!('R1');
    await vi.advanceTimersByTimeAsync(0);
    expect(reader.connects).toBe(1);
    const channel = await pending;
    if (!channel.ok) throw new Error(channel.error.code);
    expect(channel.value.atr).toBe('3B858001766361726466');
    reader.responses.push(Uint8Array.from([0x01, 0x90, 0x00]));
    expect(await channel.value.transmit(SELECT)).toEqual({ ok: true, value: Uint8Array.from([0x01, 0x90, 0x00]) });
    expect(reader.sent).toEqual([SELECT]);
  });

  it('marks the reader busy while a channel is open and refuses a second one', async () => {
    const { driver } = await setup();
    const channel = await open(driver);
    expect(driver.status().readers[0]?.state).toBe('busy');
    expect(await open(driver)).toMatchObject({ ok: false, error: { code: 'READER_BUSY' } });
    if (channel.ok) await channel.value.close();
    expect(driver.status().readers[0]?.state).toBe('present');
  });

  it('maps open failures: unknown reader, no card, card gone before connect', async () => {
    const { driver, reader } = await setup();
    expect(await open(driver, 'nope')).toMatchObject({ ok: false, error: { code: 'READER_NOT_FOUND' } });
    reader.connectResults.push(pcscError('SCardConnect', 'No smart card inserted', 0x8010000c));
    expect(await open(driver)).toMatchObject({ ok: false, error: { code: 'CARD_NOT_PRESENT' } });
    reader.empty();
    expect(await open(driver)).toMatchObject({ ok: false, error: { code: 'CARD_NOT_PRESENT' } });
  });

  it('retries the connect and the first APDU once on a transient error', async () => {
    const { driver, reader } = await setup();
    reader.connectResults.push(COMM());
    reader.responses.push(COMM());
    const channel = await open(driver);
    if (!channel.ok) throw new Error(channel.error.code);
    expect(reader.connects).toBe(2);
    const first = channel.value.transmit(SELECT);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await first).ok).toBe(true);
    reader.responses.push(COMM());
    expect(await channel.value.transmit(SELECT)).toMatchObject({ ok: false, error: { code: 'READER_COMMUNICATION_FAILED', retriable: true } });
  });

  it('maps a pulled card to a retriable CARD_REMOVED: binding error, empty response, or stale insertion', async () => {
    const { driver, reader } = await setup();
    const channel = await open(driver);
    if (!channel.ok) throw new Error(channel.error.code);
    reader.responses.push(REMOVED(), new Uint8Array(0), Uint8Array.from([0x90]));
    expect(await channel.value.transmit(SELECT)).toMatchObject({ ok: false, error: { code: 'CARD_REMOVED', retriable: true } });
    expect(await channel.value.transmit(SELECT)).toMatchObject({ ok: false, error: { code: 'CARD_REMOVED' } });
    expect(await channel.value.transmit(SELECT)).toMatchObject({ ok: false, error: { code: 'CARD_MALFORMED_RESPONSE' } });
    reader.empty();
    reader.insert();
    const sent = reader.sent.length;
    expect(await channel.value.transmit(SELECT)).toMatchObject({ ok: false, error: { code: 'CARD_REMOVED' } });
    expect(reader.sent.length).toBe(sent);
  });

  it('never sends an empty or truncated command', async () => {
    const { driver, reader } = await setup();
    const channel = await open(driver);
    if (!channel.ok) throw new Error(channel.error.code);
    expect(await channel.value.transmit(new Uint8Array(0))).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(reader.sent).toEqual([]);
  });

  it('opens the card again after a re-insertion even if the old channel was not closed', async () => {
    const { driver, reader } = await setup();
    const first = await open(driver);
    expect(first.ok).toBe(true);
    reader.empty();
    reader.insert();
    const second = await open(driver);
    expect(second.ok).toBe(true);
    expect(reader.disconnects).toBe(1);
    expect(reader.connects).toBe(2);
  });

  it('reports the service as unavailable when a transmit finds pcscd gone, and recovers', async () => {
    const { driver, reader, port, events } = await setup();
    const lost = port.current;
    const channel = await open(driver);
    if (!channel.ok) throw new Error(channel.error.code);
    reader.responses.push(pcscError('SCardTransmit', 'RPC transport error', 0x80100013));
    expect(await channel.value.transmit(SELECT)).toMatchObject({ ok: false, error: { code: 'READER_SERVICE_UNAVAILABLE' } });
    expect(driver.status().service).toBe('unavailable');
    expect(events.filter((e) => e.type === 'card-removed')).toHaveLength(1);
    expect(await open(driver)).toMatchObject({ ok: false, error: { code: 'READER_SERVICE_UNAVAILABLE' } });
    lost.emit('error', RPC_TRANSPORT_ERROR()); // late event of the dropped context: ignored
    await vi.advanceTimersByTimeAsync(500);
    expect(port.contexts).toHaveLength(2);
    port.current.addReader('R1').insert();
    expect(driver.status().service).toBe('ok');
    expect((await open(driver)).ok).toBe(true);
  });

  it('stop closes open channels, readers and the context', async () => {
    const { driver, reader, port } = await setup();
    await open(driver);
    await driver.stop();
    expect([reader.disconnects, reader.closed, port.current.closed]).toEqual([1, true, true]);
  });
});
