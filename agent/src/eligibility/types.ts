import type { ConsentItem, EligibilityOutcome, Result } from '@kiosk/protocol';

/**
 * One insured person as the eligibility service returned them. Values are kept as strings exactly as
 * written (leading zeros, space padding). Personal data: never log, never send to the kiosk unmasked.
 */
export interface InsuredPerson {
  name: string;
  nameKana?: string;
  /** YYYYMMDD as in the source. */
  birthDate: string;
  sex?: string;
  /** 保険者番号 as written (6-digit numbers may be space-padded to 8). */
  insurerNumber: string;
  symbol?: string;
  number: string;
  branch?: string;
  insurerName?: string;
  /** 一部負担割合 in percent, when known. */
  copayPercent?: number;
  /** 照会番号 (clinic patient number) when the terminal carries one. */
  referenceNumber?: string;
}

export interface EligibilityResult {
  outcome: EligibilityOutcome;
  source: 'face' | 'certificate' | 'insurance-numbers';
  /** Persons returned (0 for not-found/error, several for multiple). */
  people: InsuredPerson[];
  /** Supplementary message, e.g. certificate expiring in 3 months. Not personal. */
  message?: string;
  /** The reader transaction's own consents, when it asked them (oqs). */
  consents?: Partial<Record<ConsentItem, boolean>>;
  prescription?: 'electronic' | 'paper';
  /** How the patient authenticated on the reader, when known. */
  authMethod?: 'face' | 'pin' | 'visual';
}

export interface CertificateIdentity {
  /** Certificate serial as lowercase hex. The qualification service keys on it. */
  serialHex: string;
  issuer: string;
}

export interface InsuranceQuery {
  insurerNumber: string;
  symbol?: string;
  number: string;
  branch?: string;
  /** YYYYMMDD */
  birthDate: string;
}

export type CertificateRegistration = 'registered' | 'unregistered' | 'lost';

/** The three lookups of the online qualification service. */
export interface QualificationService {
  /** pcsc path: is this certificate registered for insurance use, and what is the eligibility. */
  byCertificate(cert: CertificateIdentity): Promise<Result<{ registration: CertificateRegistration; eligibility?: EligibilityResult }>>;
  /** 利用登録 of a certificate (after PIN, face or 目視). */
  register(cert: CertificateIdentity): Promise<Result<void>>;
  /** 一件照会 by insurance numbers (oqs req/res, or mock). */
  byInsuranceNumbers(query: InsuranceQuery, signal?: AbortSignal): Promise<Result<EligibilityResult>>;
}
