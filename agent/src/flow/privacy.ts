import type { InsuredPerson } from './ports.ts';

const MASK = '＊';

/**
 * Name for a public screen: the family name's first character, every other character masked,
 * e.g. "試験 太郎" → "試＊ ＊＊". The shape (lengths, space) stays so the patient recognises it.
 */
export function maskName(name: string): string {
  const [family = '', ...given] = name.trim().split(/[\s\u3000]+/);
  const maskedFamily = [...family].map((ch, i) => (i === 0 ? ch : MASK)).join('');
  return [maskedFamily, ...given.map((part) => MASK.repeat([...part].length))].join(' ');
}

/** The birth year's first two digits ("19800401" → "19"); the rest is never sent. */
export function birthYearPrefix(birthDate: string): string {
  return /^\d{2}/.test(birthDate) ? birthDate.slice(0, 2) : '';
}

/** The insurance identity a patient and a consent are keyed by (then salted and hashed, never stored raw). */
export function insuranceIdentity(person: Pick<InsuredPerson, 'insurerNumber' | 'symbol' | 'number' | 'branch'>): string {
  return [person.insurerNumber.trim(), person.symbol ?? '', person.number, person.branch ?? ''].join('|');
}
