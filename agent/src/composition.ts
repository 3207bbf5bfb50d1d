import { openJpki } from './card/jpki.ts';
import { checkCertificate, loadTrustAnchors, proveKeyPossession } from './card/certificates.ts';
import { defaultTrustAnchorPems } from './trust-anchors.ts';
import type { Clock } from './clock.ts';
import type { DriverSetup } from './drivers/registry.ts';
import { createCheckInFlow, defaultFlowConfig } from './flow/index.ts';
import type { CheckInFlow } from './flow/types.ts';
import type { Logger } from './logger.ts';
import { certificateRule } from './rules/certificate.ts';
import { decideDocuments } from './rules/documents.ts';
import { DEFAULT_RULES, type RulesTable } from './rules/table.ts';
import { createCheckInStore } from './storage/checkins.ts';
import type { Db } from './storage/db.ts';
import type { ReceptionSink } from './flow/ports.ts';

export interface ClinicOptions {
  /** The clinic issues 電子処方箋: ask electronic or paper. */
  ePrescription?: boolean;
  /** 診療情報 and 手術情報 consents, when enabled on the 資格確認端末. */
  consentDiagnosis?: boolean;
  consentOperation?: boolean;
}

/**
 * The one place that knows every module: wires the card layer, certificates, rules, storage and the
 * driver's services into the check-in flow.
 */
export function buildFlow(input: {
  setup: DriverSetup;
  db: Db;
  clock: Clock;
  logger: Logger;
  clinic: ClinicOptions;
  trustPems: string[];
  /** The document rules in force (a clinic's override applied); default the table as released. */
  rules?: RulesTable;
  /** The receipt computer (ORCA): every completed check-in becomes a 受付 request there. */
  reception?: ReceptionSink;
}): CheckInFlow {
  const rules = input.rules ?? DEFAULT_RULES;
  const { setup, clock, logger, clinic } = input;
  const anchors = loadTrustAnchors([...defaultTrustAnchorPems(), ...(setup.trustPems ?? []), ...input.trustPems]);
  if (!anchors.ok) throw new Error(`trust anchors: ${anchors.error.message}`);
  if (!setup.eligibility?.certificates) {
    logger.info({ event: 'identity-only-cards' }, 'no eligibility source answers for card certificates: a card proves identity, staff confirm insurance');
  }
  return createCheckInFlow({
    driver: setup.driver,
    clock,
    eligibility: setup.eligibility ?? {},
    openJpki,
    checkCertificate: (der, options) => checkCertificate(der, { anchors: anchors.value, rules, ...options }),
    proveKeyPossession: (card, der) => proveKeyPossession(card, der),
    decideDocuments: (documents) => decideDocuments(documents, rules),
    certificateRule,
    store: createCheckInStore(input.db, input.reception ? { reception: input.reception } : {}),
    logger,
    config: {
      ...defaultFlowConfig,
      ePrescription: clinic.ePrescription ?? false,
      consent: { diagnosis: clinic.consentDiagnosis ?? false, operation: clinic.consentOperation ?? false },
      ...(setup.demo ? { demo: true } : {}),
    },
    ...(setup.registerReferenceNumber ? { registerReferenceNumber: setup.registerReferenceNumber } : {}),
  });
}
