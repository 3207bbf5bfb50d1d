import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { insurerCheckDigit, insurerKindOf, MEDICAL_AID_LAW_NUMBER, validateInsurerNumber, validatePublicPayerNumber } from './insurer-number.ts';

const digits = (length: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));
// Generous: a loaded CI machine must not turn 100 cheap runs into a flaky timeout. Not a speed assertion.
const PROPERTY_TIMEOUT_MS = 30_000;
const withCheckDigit = (body: string) => body + String(insurerCheckDigit(body));

describe('validateInsurerNumber', () => {
  it.each(['01130012', '39131156', '06139992', '138057'])('accepts %s', (number) => {
    expect(validateInsurerNumber(number)).toEqual({ ok: true, value: number });
  });

  it('accepts the 8-character space-padded form of a 6-digit number, as the 6 digits', () => {
    expect(validateInsurerNumber('  138057')).toEqual({ ok: true, value: '138057' });
  });

  it('rejects a wrong check digit without repeating the number', () => {
    const result = validateInsurerNumber('06139995');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INPUT_INVALID');
    expect(result.error.message).toMatch(/check digit/);
    expect(result.error.message).not.toContain('0613999');
  });

  it.each(['', '1380570', '13805', '0113001X', ' 138057', '   138057', '138057  ', '０１１３００１２', '0113 0012', '123456789'])(
    'rejects the malformed input %j as INPUT_INVALID',
    (input) => {
      const result = validateInsurerNumber(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('INPUT_INVALID');
    },
  );
});

describe('insurerCheckDigit', () => {
  it('follows the worked example: 0113001 → 2 and 13805 → 7', () => {
    expect(insurerCheckDigit('0113001')).toBe(2);
    expect(insurerCheckDigit('13805')).toBe(7);
  });

  it('gives 0 when the weighted sum is a multiple of 10', () => {
    // 5×2 → 1+0 = 1, 9×1 = 9: sum 10.
    expect(insurerCheckDigit('95')).toBe(0);
  });

  it(
    'any 5- or 7-digit body with its check digit appended validates',
    () => {
      fc.assert(
        fc.property(fc.oneof(digits(5), digits(7)), (body) => {
          expect(validateInsurerNumber(withCheckDigit(body)).ok).toBe(true);
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  /*
   * Why every single-digit change is caught: at weight 1 a change of d shifts the sum by a non-zero amount
   * below 10; at weight 2 the digit sum of 2d is 0,2,4,6,8,1,3,5,7,9 for d = 0..9, a permutation of the
   * digits, so a change again shifts the sum by a non-zero amount below 10 (mod 10). The check digit is a
   * function of the body, so changing it alone breaks the match too.
   */
  it('doubling then adding digits permutes 0..9 (the reason the next property holds)', () => {
    const doubled = Array.from({ length: 10 }, (_, d) => insurerCheckDigit(`${d}`));
    expect(new Set(doubled).size).toBe(10);
  });

  it(
    'changing any single digit of a valid number invalidates it',
    () => {
      fc.assert(
        fc.property(fc.oneof(digits(5), digits(7)), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
          const valid = withCheckDigit(body);
          const position = at % valid.length;
          const changed = (Number(valid[position]) + delta) % 10;
          const mutated = valid.slice(0, position) + String(changed) + valid.slice(position + 1);
          expect(validateInsurerNumber(mutated).ok).toBe(false);
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

describe('insurerKindOf', () => {
  it.each([
    ['138057', 'kokuho'],
    ['39131156', 'kouki'],
    ['01130012', 'other'],
    ['06139992', 'other'],
  ] as const)('%s is %s', (number, kind) => {
    expect(insurerKindOf(number)).toBe(kind);
  });

  it('derives the kind from any valid number in every form the desk may type', () => {
    const kind = (input: string) => {
      const valid = validateInsurerNumber(input);
      return valid.ok ? insurerKindOf(valid.value) : undefined;
    };
    expect([kind('  138057'), kind('39131156'), kind('01130012')]).toEqual(['kokuho', 'kouki', 'other']);
  });
});

describe('validatePublicPayerNumber (公費負担者番号, 医療券)', () => {
  it('shares the 保険者番号 check digit and names the 法別番号 (12: 医療扶助)', () => {
    expect(validatePublicPayerNumber('12130019')).toEqual({ ok: true, value: { number: '12130019', lawNumber: MEDICAL_AID_LAW_NUMBER } });
    expect(validatePublicPayerNumber('12140026').ok).toBe(true);
  });

  it.each(['12130018', '1213001', '121300190', '1213001X', ''])('refuses %j without repeating it', (input) => {
    const result = validatePublicPayerNumber(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INPUT_INVALID');
      if (input) expect(result.error.message).not.toContain(input);
    }
  });
});
