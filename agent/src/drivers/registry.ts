import { ok, type DriverKind } from '@kiosk/protocol';
import type { Router } from 'express';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../storage/db.ts';
import type { EligibilitySources, ReaderDriver, RegisterReferenceNumber } from '../flow/ports.ts';
import type { OqsConfigInput } from './oqs/config.ts';
import type { OqsStaffQueue } from './oqs/driver.ts';

/** Everything one driver brings to the agent; the composition root wires each part where it belongs. */
export interface DriverSetup {
  driver: ReaderDriver;
  /** Only sources a real service answers (the 資格確認端末's 一件照会), or the demo's mocks. None: identity only. */
  eligibility?: EligibilitySources;
  /** The terminal's walk-ins and ambiguous face results, for the staff console (oqs). */
  reviews?: Pick<OqsStaffQueue, 'list' | 'resolve'>;
  /** HTTP routers the setup brings, e.g. the demo's mock control endpoint at /mock. */
  routers?: Record<string, Router>;
  /** Trust anchors the setup's cards chain to (the demo's test CA). */
  trustPems?: string[];
  /** oqs: writes the 照会番号 registration request (OQSsiimm01) for a new patient. */
  registerReferenceNumber?: RegisterReferenceNumber;
  /** Closes what the setup opened besides the driver (the 一件照会 timers), after the driver stopped. */
  close?: () => void;
  /** A demonstration (mock reader, invented people): the kiosk, the console and /healthz say so. */
  demo?: boolean;
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

/** The drivers a clinic can name. The mock reader is not one: the demo composition (kiosk-mock demo) wires it. */
export type ProductionDriverKind = Exclude<DriverKind, 'mock'>;
export const PRODUCTION_DRIVER_KINDS: readonly ProductionDriverKind[] = ['pcsc', 'oqs', 'pcsc+oqs'];

/**
 * Picks the driver by name. Each loads on demand, so a machine without pcscd still runs the oqs driver.
 * A card read over PC/SC proves identity only: the pcsc setup has no eligibility source.
 */
export const DRIVER_FACTORIES: Record<ProductionDriverKind, (options: DriverOptions, deps: DriverDeps) => Promise<DriverSetup>> = {
  pcsc: async (options, deps) => ({ driver: await createPcsc(options, deps) }),
  oqs: createOqsSetup,
  // The 資格確認端末 brings its face results, 一件照会 and 照会番号 registration; the kiosk's own reader adds card reads.
  'pcsc+oqs': async (options, deps) => {
    const [pcsc, oqs] = await Promise.all([createPcsc(options, deps), createOqsSetup(options, deps)]);
    const { combineDrivers } = await import('./combined.ts');
    return { ...oqs, driver: combineDrivers('pcsc+oqs', [pcsc, oqs.driver]) };
  },
};

async function createPcsc(options: DriverOptions, deps: DriverDeps): Promise<ReaderDriver> {
  const { createPcscDriver } = await import('./pcsc/index.ts');
  return createPcscDriver(options.pcsc ?? {}, deps);
}

/**
 * The 資格確認端末 integration: face results from the face folder, 一件照会 and 照会番号 registration
 * through req/res. It answers nothing for a card's certificate.
 */
async function createOqsSetup(options: DriverOptions, deps: DriverDeps): Promise<DriverSetup> {
  if (!options.oqs) throw new Error('the oqs driver needs --oqs-dir (or --oqs-face/--oqs-req/--oqs-res) and --institution-code');
  const { createOqsDriver, createOqsInquiry, parseOqsConfig } = await import('./oqs/index.ts');
  const config = parseOqsConfig(options.oqs);
  if (!config.ok) throw new Error(`oqs configuration: ${config.error.message}`);
  const inquiry = createOqsInquiry(config.value, deps);
  const driver = createOqsDriver(config.value, deps);
  return {
    driver,
    eligibility: { insuranceNumbers: inquiry },
    reviews: driver.staff,
    close: () => inquiry.stop(),
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
