import { fail, ok, type InsurerKind, type Result } from '@kiosk/protocol';

/**
 * 保険者番号: 8 digits (社保, 後期 39xxxxxx, …) or 6 digits (国保), the last one a check digit. Always a
 * string: leading zeros matter. The 資格確認端末 XML right-aligns 6-digit numbers in 8 characters.
 */
const FORMS = [/^\d{8}$/, /^\d{6}$/, /^ {2}\d{6}$/];

/**
 * Check digit of a 保険者番号 body: from the body's rightmost digit leftwards, weights 2, 1, 2, …; add
 * the digits of each product; the check digit is 10 minus the sum modulo 10 (0 when that is 0).
 */
export function insurerCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const product = Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(product / 10) + (product % 10);
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The 保険者番号 as 6 or 8 digits (padding removed), or INPUT_INVALID. Messages never repeat the input:
 * it is regulated personal data in logs.
 */
export function validateInsurerNumber(input: string): Result<string> {
  if (!FORMS.some((form) => form.test(input))) return fail('INPUT_INVALID', 'insurer number must be 6 or 8 digits');
  const digits = input.trimStart();
  if (insurerCheckDigit(digits.slice(0, -1)) !== Number(digits.slice(-1))) {
    return fail('INPUT_INVALID', 'insurer number check digit does not match');
  }
  return ok(digits);
}

/** 6-digit numbers are 国保, 8-digit ones starting 39 後期高齢者 (法別番号 39); every other insurer is "other". */
export function insurerKindOf(validNumber: string): InsurerKind {
  if (validNumber.length === 6) return 'kokuho';
  return validNumber.startsWith('39') ? 'kouki' : 'other';
}

/** 法別番号 of 医療扶助 (生活保護): the first two digits of the 公費負担者番号 on a 医療券. */
export const MEDICAL_AID_LAW_NUMBER = '12';

/**
 * 公費負担者番号: 8 digits, the first two the 法別番号, the last a check digit computed like a 保険者番号's.
 * Returns the number and its 法別番号, or INPUT_INVALID; messages never repeat the input.
 */
export function validatePublicPayerNumber(input: string): Result<{ number: string; lawNumber: string }> {
  if (!/^\d{8}$/.test(input)) return fail('INPUT_INVALID', 'public payer number must be 8 digits');
  if (insurerCheckDigit(input.slice(0, -1)) !== Number(input.slice(-1))) return fail('INPUT_INVALID', 'public payer number check digit does not match');
  return ok({ number: input, lawNumber: input.slice(0, 2) });
}
