import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '@kiosk/protocol';
import type { InsuranceQuery } from '../../flow/ports.ts';
import { japanStamp } from './dates.ts';
import type { OqsEncoding } from './encoding.ts';
import { toXmlBytes, type XmlTree } from './xml-write.ts';

/** File name prefixes of the 外部インターフェイス. */
export const PREFIX = {
  inquiryRequest: 'OQSsiquc01req_',
  inquiryResult: 'OQSsiquc01res_',
  registrationRequest: 'OQSsiimm01req_',
  registrationResult: 'OQSsiimm01res_',
} as const;

/** 保険者番号 as the terminal expects it: 8 characters, 6-digit 国保 numbers right-aligned with spaces. */
export function padInsurerNumber(insurerNumber: string): string {
  return insurerNumber.trim().padStart(8, ' ');
}

/** The insurance numbers of a request, validated; no personal value appears in the error. */
export function checkInsurance(query: { insurerNumber: string; number: string; symbol?: string; branch?: string }): Result<void> {
  if (!/^(\d{6}|\d{8})$/.test(query.insurerNumber.trim())) return fail('INPUT_INVALID', 'insurer number must be 6 or 8 digits');
  if (query.number.trim() === '' || query.number.length > 20) return fail('INPUT_INVALID', 'insured number must be 1 to 20 characters');
  if ((query.symbol ?? '').length > 20) return fail('INPUT_INVALID', 'symbol must be at most 20 characters');
  if (query.branch !== undefined && !/^\d{0,2}$/.test(query.branch.trim())) return fail('INPUT_INVALID', 'branch must be 2 digits');
  return ok(undefined);
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v);

/** A request id that is also a file-name suffix: Japan time to the millisecond + randomness, nothing personal. */
export function newRequestId(now: Date): string {
  return `${japanStamp(now)}${String(now.getUTCMilliseconds()).padStart(3, '0')}${randomBytes(3).toString('hex')}`;
}

export interface RequestHeader {
  institutionCode: string;
  requestId: string;
}

/** OQSsiquc01req (資格確認照会, one person). */
export function inquiryRequestTree(query: InsuranceQuery, header: RequestHeader & { confirmationDate: string }): XmlTree {
  return {
    MessageHeader: {
      QualificationConfirmationDate: header.confirmationDate,
      MedicalInstitutionCode: header.institutionCode,
      ArbitraryFileIdentifier: header.requestId,
    },
    MessageBody: {
      QualificationConfirmSearchInfo: {
        InsurerNumber: padInsurerNumber(query.insurerNumber),
        InsuredCardSymbol: nonEmpty(query.symbol),
        InsuredIdentificationNumber: query.number,
        InsuredBranchNumber: nonEmpty(query.branch),
        Birthdate: query.birthDate,
      },
    },
  };
}

export interface ReferenceNumberRegistration {
  insurerNumber: string;
  symbol?: string;
  number: string;
  branch?: string;
  /** 照会番号: the clinic's patient number, at most 50 characters. */
  referenceNumber: string;
}

/** OQSsiimm01req (照会番号登録, one person). */
export function registrationRequestTree(input: ReferenceNumberRegistration, header: RequestHeader): XmlTree {
  return {
    MessageHeader: { MedicalInstitutionCode: header.institutionCode, ArbitraryFileIdentifier: header.requestId },
    MessageBody: {
      ReferenceNumberRegistrationInfo: {
        ReferenceNumber: input.referenceNumber,
        InsurerNumber: padInsurerNumber(input.insurerNumber),
        InsuredCardSymbol: nonEmpty(input.symbol),
        InsuredIdentificationNumber: input.number,
        InsuredBranchNumber: nonEmpty(input.branch),
      },
    },
  };
}

/**
 * Writes a request so the terminal never sees half a file: a temporary name it ignores, then a
 * rename in the same folder.
 */
export async function writeRequestFile(dir: string, fileName: string, tree: XmlTree, encoding: OqsEncoding): Promise<Result<string>> {
  const path = join(dir, fileName);
  const temporary = join(dir, `.${fileName}.tmp`);
  try {
    await writeFile(temporary, toXmlBytes('XmlMsg', tree, encoding), { flag: 'wx' });
    await rename(temporary, path);
    return ok(path);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    return fail('OQS_FOLDER_UNAVAILABLE', 'The request could not be written to the req folder', { errno: (e as NodeJS.ErrnoException).code ?? 'UNKNOWN' });
  }
}
