import { fail, ok, type EligibilityOutcome, type Result } from '@kiosk/protocol';
import type {
  CertificateIdentity,
  CertificateRegistration,
  CertificateSource,
  EligibilityResult,
  InsuranceNumberSource,
  InsuranceQuery,
  InsuredPerson,
} from '@kiosk/agent/flow/ports.ts';

/** The demo's stand-in for the online qualification service: both lookups, from one in-memory registry. */
export type MockQualificationService = CertificateSource & InsuranceNumberSource;

export interface MockQualificationOptions {
  /** Registration state per certificate serial (lowercase hex). Serials not listed count as registered. */
  registry: Map<string, CertificateRegistration>;
  /** The insured person behind a serial. Serials not listed get a synthetic test person (syntheticPerson). */
  people?: Map<string, InsuredPerson>;
  /** Eligibility outcome per serial, to rehearse invalid / not-found / multiple results. Default valid. */
  outcomes?: Map<string, EligibilityOutcome>;
}

/** A 保険者番号 with a correct check digit, so test people pass the insurer-number validation. */
const SYNTHETIC_INSURER = '06139992';

/**
 * The test person for a serial nobody configured: a fixed fictitious name, and a birth date and an insured
 * number derived from the serial, so two unknown cards are two different people. Never a real person.
 */
export function syntheticPerson(serialHex: string): InsuredPerson {
  const number = String(Number.parseInt(serialHex.slice(-6) || '0', 16) || 1).padStart(8, '0');
  // The day of birth follows the serial too, so two cards are two patients for a receipt computer's name search.
  const day = String(Number.parseInt(serialHex.slice(-2) || '1', 16) % 28 || 28).padStart(2, '0');
  return {
    name: '試験 太郎',
    nameKana: 'シケン タロウ',
    birthDate: `198004${day}`,
    sex: '1',
    insurerNumber: SYNTHETIC_INSURER,
    symbol: 'テスト',
    number,
    branch: '00',
    copayPercent: 30,
  };
}

const sameInsurer = (a: string, b: string) => a.trim() === b.trim();

/**
 * In-memory stand-in for the online qualification service (the demo's mock world and tests). It invents people: never wired outside the demo. Registering a
 * serial changes its state for the life of the service; a lost card can never be registered.
 */
export function createMockQualificationService(options: MockQualificationOptions): MockQualificationService {
  const registry = new Map(options.registry);
  const personOf = (serialHex: string) => options.people?.get(serialHex) ?? syntheticPerson(serialHex);

  const eligibilityOf = (serialHex: string): EligibilityResult => {
    const outcome = options.outcomes?.get(serialHex) ?? 'valid';
    const people =
      outcome === 'not-found' || outcome === 'error' ? [] : outcome === 'multiple' ? [personOf(serialHex), personOf(`${serialHex}1`)] : [personOf(serialHex)];
    return { outcome, source: 'certificate', people };
  };

  return {
    async byCertificate(cert: CertificateIdentity) {
      const registration = registry.get(cert.serialHex) ?? 'registered';
      return ok(registration === 'registered' ? { registration, eligibility: eligibilityOf(cert.serialHex) } : { registration });
    },

    async register(cert: CertificateIdentity): Promise<Result<void>> {
      if (registry.get(cert.serialHex) === 'lost') return fail('ELIGIBILITY_LOST_CARD');
      registry.set(cert.serialHex, 'registered');
      return ok(undefined);
    },

    async byInsuranceNumbers(query: InsuranceQuery) {
      const serials = new Set([...registry.keys(), ...(options.people?.keys() ?? [])]);
      const people = [...serials]
        .map(personOf)
        .filter(
          (p) =>
            sameInsurer(p.insurerNumber, query.insurerNumber) &&
            p.number === query.number &&
            p.birthDate === query.birthDate &&
            (query.branch === undefined || p.branch === query.branch),
        );
      const outcome: EligibilityOutcome = people.length === 0 ? 'not-found' : people.length > 1 ? 'multiple' : 'valid';
      return ok({ outcome, source: 'insurance-numbers', people });
    },
  };
}
