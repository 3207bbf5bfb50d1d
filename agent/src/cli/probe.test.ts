import { describe, expect, it } from 'vitest';
import { ok, type DriverStatus } from '@kiosk/protocol';
import { DriverEvents, type ReaderDriver } from '../flow/ports.ts';
import { loadTrustAnchors } from '../card/certificates.ts';
import { fixedClock } from '../clock.ts';
import { createVirtualCard, MemoryPinCounters, TEST_PIN, testCaCertificatePem, virtualChannel } from '@kiosk/mocks/card/index.ts';
import type { ProfileId } from '@kiosk/mocks/card/index.ts';
import { probe, readersNamed } from './probe.ts';

const NOW = new Date('2026-03-01T03:00:00Z');

/** A ReaderDriver whose readers (default one, "R") each hold the same virtual card, opened in-process. */
async function driverWith(profile: ProfileId, readerNames = ['R']) {
  const card = await createVirtualCard({ profile, now: NOW, counters: new MemoryPinCounters() });
  const status: DriverStatus = { driver: 'pcsc', service: 'ok', readers: readerNames.map((name) => ({ name, driver: 'pcsc', state: 'present' })) };
  const opened: string[] = [];
  const events = new DriverEvents();
  const driver: ReaderDriver = {
    kind: 'pcsc',
    capabilities: { cardIo: true, faceAuth: false },
    start: async () => {},
    stop: async () => {},
    status: () => status,
    subscribe: (l) => events.subscribe(l),
    openCard: async (reader) => {
      opened.push(reader);
      return ok(virtualChannel(card, { reader }));
    },
  };
  return { driver, card, opened };
}

async function options(pin?: string, allowLastTry = false) {
  const anchors = loadTrustAnchors([await testCaCertificatePem()]);
  if (!anchors.ok) throw new Error(anchors.error.code);
  return { anchors: anchors.value, pin, allowLastTry, clock: fixedClock(NOW) };
}

const verifies = (card: { trace: { command: string }[] }) => card.trace.filter((t) => t.command.startsWith('00200080') && t.command.length > 8);

describe('probe', () => {
  it('reports the card without sending a PIN', async () => {
    const { driver, card } = await driverWith('valid');
    const report = await probe(driver, await options());
    expect(report.readers[0]?.card).toMatchObject({
      kind: 'my-number-card',
      certificate: { serialHex: '7e57c001', chain: 'trusted', status: 'valid' },
      pinTriesLeft: 3,
      errors: [],
    });
    expect(report.readers[0]?.card?.pinVerified).toBeUndefined();
    expect(verifies(card)).toHaveLength(0);
  });

  it('verifies the PIN and proves key possession with --pin-stdin', async () => {
    const { driver } = await driverWith('valid');
    const report = await probe(driver, await options(TEST_PIN));
    expect(report.readers[0]?.card).toMatchObject({ pinVerified: true, keyPossession: 'proven', errors: [] });
  });

  it('records a wrong PIN with the tries left', async () => {
    const { driver } = await driverWith('valid');
    const report = await probe(driver, await options('9999'));
    expect(report.readers[0]?.card).toMatchObject({ pinVerified: false, pinTriesLeft: 2, errors: [{ step: 'pin', code: 'PIN_INCORRECT' }] });
  });

  it('never sends a PIN to a blocked card', async () => {
    const { driver, card } = await driverWith('pin-locked');
    const report = await probe(driver, await options(TEST_PIN, true));
    expect(report.readers[0]?.card?.errors).toMatchObject([{ step: 'pin', code: 'PIN_BLOCKED' }]);
    expect(verifies(card)).toHaveLength(0);
  });
});

describe('--reader picks one reader', () => {
  const names = ['ACS ACR39U 00', 'ACS ACR39U 00 01', 'SONY FeliCa Port/PaSoRi 4.0'];

  it('the exact name first, even when another name contains it; else the one name containing it, in any case', () => {
    expect(readersNamed(names, 'ACS ACR39U 00')).toEqual(['ACS ACR39U 00']);
    expect(readersNamed(names, 'pasori')).toEqual(['SONY FeliCa Port/PaSoRi 4.0']);
    expect(readersNamed(names, 'acr39u 00 01')).toEqual(['ACS ACR39U 00 01']);
  });

  it('a name several readers contain is ambiguous; one nobody contains names none', () => {
    expect(readersNamed(names, 'acs acr39u')).toEqual(['ACS ACR39U 00', 'ACS ACR39U 00 01']);
    expect(readersNamed(names, 'Gemalto')).toEqual([]);
  });

  it('probes only the reader picked', async () => {
    const { driver, opened } = await driverWith('valid', names);
    const report = await probe(driver, { ...(await options()), reader: 'ACS ACR39U 00' });
    expect(report.readers.map((r) => r.name)).toEqual(['ACS ACR39U 00']);
    expect(report.readers[0]?.card).toMatchObject({ kind: 'my-number-card', errors: [] });
    expect(opened).toEqual(['ACS ACR39U 00']);
  });

  it('an ambiguous name probes no card and lists the readers it matched', async () => {
    const { driver, opened } = await driverWith('valid', names);
    const report = await probe(driver, { ...(await options()), reader: 'acs' });
    expect(report).toMatchObject({ service: 'ok', readers: [], ambiguousReader: ['ACS ACR39U 00', 'ACS ACR39U 00 01'] });
    expect(opened).toEqual([]);
  });

  it('without --reader every reader is probed', async () => {
    const { driver, opened } = await driverWith('valid', names);
    expect((await probe(driver, await options())).readers).toHaveLength(3);
    expect(opened).toEqual(names);
  });
});
