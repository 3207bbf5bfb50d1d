import { describe, expect, it } from 'vitest';
import { ok, type DriverStatus } from '@kiosk/protocol';
import { DriverEvents, type ReaderDriver } from '../drivers/types.ts';
import { loadTrustAnchors } from '../card/certificates.ts';
import { fixedClock } from '../clock.ts';
import { createVirtualCard, MemoryPinCounters, TEST_PIN, testCaCertificatePem, virtualChannel } from '@kiosk/mocks/card/index.ts';
import type { ProfileId } from '@kiosk/mocks/card/index.ts';
import { probe } from './probe.ts';

const NOW = new Date('2026-03-01T03:00:00Z');

/** A ReaderDriver with one reader holding one virtual card, opened in-process. */
async function driverWith(profile: ProfileId) {
  const card = await createVirtualCard({ profile, now: NOW, counters: new MemoryPinCounters() });
  const status: DriverStatus = { driver: 'pcsc', service: 'ok', readers: [{ name: 'R', driver: 'pcsc', state: 'present' }] };
  const events = new DriverEvents();
  const driver: ReaderDriver = {
    kind: 'pcsc',
    capabilities: { cardIo: true, faceAuth: false },
    start: async () => {},
    stop: async () => {},
    status: () => status,
    subscribe: (l) => events.subscribe(l),
    openCard: async () => ok(virtualChannel(card, { reader: 'R' })),
  };
  return { driver, card };
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
