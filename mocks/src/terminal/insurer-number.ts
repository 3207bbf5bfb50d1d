/**
 * 保険者番号 check digit: over the digits before the last, from the rightmost going left, multiply
 * alternately by 2 and 1, add the digits of each product; check = 10 − (sum mod 10), 0 when the
 * remainder is 0.
 */
export function insurerCheckDigit(body: string): string {
  let sum = 0;
  [...body].reverse().forEach((digit, i) => {
    const product = Number(digit) * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(product / 10) + (product % 10);
  });
  const remainder = sum % 10;
  return String(remainder === 0 ? 0 : 10 - remainder);
}

/** A synthetic number made valid: the body followed by its check digit. */
export function withCheckDigit(body: string): string {
  return `${body}${insurerCheckDigit(body)}`;
}

export function isValidInsurerNumber(insurerNumber: string): boolean {
  const digits = insurerNumber.trim();
  return /^(\d{6}|\d{8})$/.test(digits) && withCheckDigit(digits.slice(0, -1)) === digits;
}
