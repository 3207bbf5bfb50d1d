import type { QualificationService } from './types.ts';

/**
 * One QualificationService from two sources: certificate lookups and 利用登録 from one (the mock registry
 * on the pcsc path), 一件照会 by insurance numbers from another (the oqs req/res folders, or the mock).
 */
export function composeQualificationService(parts: {
  certificates: Pick<QualificationService, 'byCertificate' | 'register'>;
  insuranceNumbers: Pick<QualificationService, 'byInsuranceNumbers'>;
}): QualificationService {
  return {
    byCertificate: (cert) => parts.certificates.byCertificate(cert),
    register: (cert) => parts.certificates.register(cert),
    byInsuranceNumbers: (query, signal) => parts.insuranceNumbers.byInsuranceNumbers(query, signal),
  };
}
