import type { EligibilityResult } from '@kiosk/agent/flow/ports.ts';
import { createMockQualificationService, type MockQualificationService } from './qualification.ts';
import { createVirtualCard, isProfileId, MemoryPinCounters, PROFILES, virtualChannel } from '../card/index.ts';
import { pinCounterKey } from '../card/counters.ts';
import { JPKI_EF } from '@kiosk/agent/card/constants.ts';
import { createMockDriver, MOCK_READER, type MockDriver, type VirtualCardSource } from './mock-driver.ts';
import type { Scenario } from './scenarios.ts';

export interface MockWorld {
  driver: MockDriver;
  /** The online qualification service as the current scenario scripts it. */
  qualification: MockQualificationService;
}

/**
 * The mock reader, the virtual cards on it and the mock online services, scripted together by the
 * current scenario, so one "kiosk-mock <scenario>" sets up everything a check-in will meet.
 */
export function createMockWorld(deps: { now(): Date }): MockWorld {
  let plays = 0;
  let qualification = serviceFor(undefined, 0);

  const cards: VirtualCardSource = {
    async place(profile, options) {
      if (!isProfileId(profile)) throw new Error(`unknown virtual card profile ${profile}`);
      // Every play is a fresh physical card: counters start from the scenario's value.
      const counters = new MemoryPinCounters();
      if (options.pinTriesLeft !== undefined) counters.set(pinCounterKey(profile, 'jpki', JPKI_EF.authPin), options.pinTriesLeft);
      const card = await createVirtualCard({ profile, now: deps.now(), counters });
      return {
        atr: card.atrHex,
        open: () => {
          const channel = virtualChannel(card, {
            reader: MOCK_READER,
            ...(options.removeAfterApdus !== undefined ? { removeAfterApdus: options.removeAfterApdus } : {}),
          });
          // A card pulled mid-read leaves the reader: the driver reports the removal.
          const transmit = channel.transmit.bind(channel);
          channel.transmit = async (apdu) => {
            const result = await transmit(apdu);
            if (!result.ok && result.error.code === 'CARD_REMOVED') options.onRemoved();
            return result;
          };
          return channel;
        },
      };
    },
  };

  const driver = createMockDriver({
    cards,
    now: deps.now,
    faceEligibility: async (scenario) => faceEligibility(scenario, qualification),
  });

  const play = driver.play.bind(driver);
  driver.play = async (name) => {
    const result = await play(name);
    if (result.ok && 'reader' in result.value) {
      plays += 1;
      qualification = serviceFor(result.value, plays);
    }
    return result;
  };

  return {
    driver,
    // Delegates to the current scenario's service, so a play takes effect for the next lookup.
    qualification: {
      byCertificate: (cert) => qualification.byCertificate(cert),
      register: (cert) => qualification.register(cert),
      byInsuranceNumbers: (query, signal) => qualification.byInsuranceNumbers(query, signal),
    },
  };
}

function serialOf(scenario: Scenario | undefined): string | undefined {
  const profile = scenario?.card?.profile;
  return profile && isProfileId(profile) ? PROFILES[profile].jpki?.cert.serialHex : undefined;
}

/** The scenario's card serial mapped to its registration, outcome and (for new patients) a fresh person. */
function serviceFor(scenario: Scenario | undefined, play: number): MockQualificationService {
  const serial = serialOf(scenario);
  const registry = new Map<string, 'registered' | 'unregistered' | 'lost'>();
  const outcomes = new Map<string, NonNullable<NonNullable<Scenario['eligibility']>['outcome']>>();
  if (serial && scenario?.eligibility?.registration) registry.set(serial, scenario.eligibility.registration);
  if (serial && scenario?.eligibility?.outcome) outcomes.set(serial, scenario.eligibility.outcome);
  const service = createMockQualificationService({ registry, outcomes });
  if (!serial || !scenario?.eligibility?.newPatient) return service;
  // A new patient: the same card, but a person the clinic has never seen (a different serial's person).
  const fresh = `${serial}${play.toString(16).padStart(4, '0')}`;
  return {
    byCertificate: (cert) => service.byCertificate({ ...cert, serialHex: cert.serialHex === serial ? fresh : cert.serialHex }),
    register: (cert) => service.register(cert),
    byInsuranceNumbers: (query, signal) => service.byInsuranceNumbers(query, signal),
  };
}

/** The face-auth reader looks the patient up itself; the mock answers like the certificate lookup would. */
async function faceEligibility(scenario: Scenario, qualification: MockQualificationService): Promise<EligibilityResult> {
  const serial = serialOf(scenario) ?? '00';
  const result = await qualification.byCertificate({ serialHex: serial, issuer: 'mock' });
  const eligibility = result.ok ? result.value.eligibility : undefined;
  return { ...(eligibility ?? { outcome: 'error', people: [] }), source: 'face' };
}
