import { fail, ok, type Result } from '@kiosk/protocol';
import type { InsurerKind } from './documents.ts';

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

/** 6-digit numbers are 国保; every other insurer counts as "other" for the temporary-handling rule. */
export function insurerKindOf(validNumber: string): InsurerKind {
  return validNumber.length === 6 ? 'kokuho' : 'other';
}
