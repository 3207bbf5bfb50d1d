import type { DriverKind } from '@kiosk/protocol';
import type { Clock } from '../clock.ts';
import type { QualificationService } from '../eligibility/types.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../storage/db.ts';
import type { ReaderDriver } from './types.ts';
import type { Router } from 'express';
import type { FlowDeps } from '../flow/deps.ts';

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
  oqs?: { faceDir: string; reqDir: string; resDir: string; institutionCode: string; archiveDir?: string; encoding?: 'auto' | 'utf-8' | 'shift_jis' };
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
  pcsc: async (options, deps) => {
    const { createPcscDriver } = await import('./pcsc/index.ts');
    return { driver: createPcscDriver(options.pcsc ?? {}, deps) };
  },
  oqs: async (options, deps) => {
    if (!options.oqs) throw new Error('the oqs driver needs --oqs-dir (or --oqs-face/--oqs-req/--oqs-res) and --institution-code');
    const { createOqsSetup } = await import('./oqs/index.ts');
    return createOqsSetup(options.oqs, deps);
  },
};
