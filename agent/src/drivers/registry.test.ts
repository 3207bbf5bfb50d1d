import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { openDatabase } from '../storage/db.ts';
import { terminalFixture } from './oqs/terminal.test-support.ts';
import { DRIVER_FACTORIES } from './registry.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// The setups are built, not started: starting pcsc would load the native binding.
describe('driver registry', () => {
  it('pcsc+oqs: one driver with card I/O and face results, and the terminal services of the oqs setup', async () => {
    const fixture = await terminalFixture();
    const db = openDatabase(':memory:');
    cleanups.push(fixture.cleanup, () => void db.close());
    const { faceDir, reqDir, resDir, institutionCode } = fixture.config;
    const setup = await DRIVER_FACTORIES['pcsc+oqs']({ oqs: { faceDir, reqDir, resDir, institutionCode } }, { clock: systemClock, logger: silentLogger, db });
    expect(setup.driver.kind).toBe('pcsc+oqs');
    expect(setup.driver.capabilities).toEqual({ cardIo: true, faceAuth: true });
    expect(typeof setup.driver.openCard).toBe('function');
    expect(typeof setup.driver.awaitFaceResult).toBe('function');
    expect(setup.eligibility?.insuranceNumbers?.byInsuranceNumbers).toBeTypeOf('function');
    expect(setup.registerReferenceNumber).toBeTypeOf('function');
    expect(setup.reviews?.list()).toEqual([]);
    setup.close?.();
  });

  // Fail closed: nothing a clinic can name invents a patient. The terminal answers 一件照会 only; a card
  // over PC/SC gets no certificate source at all.
  it.each(['oqs', 'pcsc+oqs'] as const)('%s wires no certificate source and no demo', async (kind) => {
    const fixture = await terminalFixture();
    const db = openDatabase(':memory:');
    cleanups.push(fixture.cleanup, () => void db.close());
    const { faceDir, reqDir, resDir, institutionCode } = fixture.config;
    const setup = await DRIVER_FACTORIES[kind]({ oqs: { faceDir, reqDir, resDir, institutionCode } }, { clock: systemClock, logger: silentLogger, db });
    cleanups.push(() => setup.close?.());
    expect(Object.keys(setup.eligibility ?? {})).toEqual(['insuranceNumbers']);
    expect(setup.demo).toBeUndefined();
    expect(setup.trustPems).toBeUndefined();
    expect(setup.routers).toBeUndefined();
  });

  it('pcsc: a card reader and nothing else', async () => {
    const db = openDatabase(':memory:');
    cleanups.push(() => void db.close());
    const setup = await DRIVER_FACTORIES.pcsc({}, { clock: systemClock, logger: silentLogger, db });
    expect(Object.keys(setup)).toEqual(['driver']);
  });

  it('the mock reader is not a production driver', () => {
    expect(Object.keys(DRIVER_FACTORIES)).toEqual(['pcsc', 'oqs', 'pcsc+oqs']);
  });

  it.each(['oqs', 'pcsc+oqs'] as const)('%s without the terminal folders fails with what is missing', async (kind) => {
    const db = openDatabase(':memory:');
    cleanups.push(() => void db.close());
    await expect(DRIVER_FACTORIES[kind]({}, { clock: systemClock, logger: silentLogger, db })).rejects.toThrow('--institution-code');
  });
});
