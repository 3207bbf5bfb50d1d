import { ok, type DriverKind } from '@kiosk/protocol';
import type { Clock } from '../clock.ts';
import type { QualificationService } from '../eligibility/types.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../storage/db.ts';
import type { ReaderDriver } from './types.ts';
import type { Router } from 'express';
import type { FlowDeps } from '../flow/deps.ts';
import type { OqsConfigInput } from './oqs/config.ts';
import type { OqsDriver } from './oqs/driver.ts';

export interface DriverSetup {
  driver: ReaderDriver;
  /** The online qualification service that goes with this driver (mock world, or the terminal's 一件照会). */
  qualification?: QualificationService;
  /** HTTP routers the driver brings, e.g. the mock control endpoint at /mock. */
  routers?: Record<string, Router>;
  /** Trust anchors the driver's cards chain to (the mock world's test CA). */
  trustPems?: string[];
  /** oqs: writes the 照会番号 registration request (OQSsiimm01) for a new patient. */
  registerReferenceNumber?: FlowDeps['registerReferenceNumber'];
}

export interface DriverOptions {
  pcsc?: { readerAllow?: string[]; readerPrefer?: string[] };
  oqs?: OqsConfigInput;
}

export interface DriverDeps {
  clock: Clock;
  logger: Logger;
  db: Db;
}

/**
 * Picks the driver by name. Each loads on demand, so the mock never loads pcsclite and a machine
 * without pcscd still runs the mock.
 */
export const DRIVER_FACTORIES: Record<DriverKind, (options: DriverOptions, deps: DriverDeps) => Promise<DriverSetup>> = {
  mock: async (_options, deps) => {
    const { createMockSetup } = await import('@kiosk/mocks/driver/index.ts');
    return createMockSetup(deps);
  },
  pcsc: async (options, deps) => ({ driver: await createPcsc(options, deps) }),
  oqs: createOqsSetup,
  // The 資格確認端末 brings the online services (一件照会, 照会番号登録); the kiosk's own reader adds card reads.
  'pcsc+oqs': async (options, deps) => {
    const [pcsc, oqs] = await Promise.all([createPcsc(options, deps), createOqsSetup(options, deps)]);
    const { combineDrivers } = await import('./combined.ts');
    // The staff console finds the terminal's review queue on the driver, as on the plain oqs driver.
    return { ...oqs, driver: Object.assign(combineDrivers('pcsc+oqs', [pcsc, oqs.driver]), { staff: oqs.driver.staff }) };
  },
};

async function createPcsc(options: DriverOptions, deps: DriverDeps): Promise<ReaderDriver> {
  const { createPcscDriver } = await import('./pcsc/index.ts');
  return createPcscDriver(options.pcsc ?? {}, deps);
}

/**
 * The 資格確認端末 integration: face results from the face folder, 一件照会 and 照会番号 registration
 * through req/res. There is no card path, so certificate lookups fall back to the mock registry.
 */
async function createOqsSetup(options: DriverOptions, deps: DriverDeps): Promise<DriverSetup & { driver: OqsDriver }> {
  if (!options.oqs) throw new Error('the oqs driver needs --oqs-dir (or --oqs-face/--oqs-req/--oqs-res) and --institution-code');
  const { createOqsDriver, createOqsInquiry, parseOqsConfig } = await import('./oqs/index.ts');
  const { composeQualificationService } = await import('../eligibility/compose.ts');
  const { createMockQualificationService } = await import('../eligibility/mock-qualification.ts');
  const config = parseOqsConfig(options.oqs);
  if (!config.ok) throw new Error(`oqs configuration: ${config.error.message}`);
  const inquiry = createOqsInquiry(config.value, deps);
  const driver = createOqsDriver(config.value, deps);
  const stop = driver.stop.bind(driver);
  driver.stop = async () => {
    inquiry.stop();
    await stop();
  };
  return {
    driver,
    qualification: composeQualificationService({ certificates: createMockQualificationService({ registry: new Map() }), insuranceNumbers: inquiry }),
    registerReferenceNumber: async ({ patientNumber, person }) => {
      // Waits for the terminal's answer (OQSsiimm01res); the flow does not wait for this call.
      const registered = await inquiry.registerReferenceNumber({
        insurerNumber: person.insurerNumber,
        number: person.number,
        referenceNumber: patientNumber,
        ...(person.symbol !== undefined ? { symbol: person.symbol } : {}),
        ...(person.branch !== undefined ? { branch: person.branch } : {}),
      });
      return registered.ok ? ok(undefined) : registered;
    },
  };
}
