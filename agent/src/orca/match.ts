import type { ReceptionPerson } from '../flow/ports.ts';
import type { OrcaInsurance, OrcaPatient, RegistrationRequest } from './api.ts';

/**
 * Comparing what the eligibility service said with what ORCA holds. ORCA writes 記号・番号 full-width and
 * kana names with a full-width space; the 資格確認端末 right-aligns a 6-digit 国保 保険者番号 in 8 characters
 * (and a few systems pad it with "00"). Every value is compared in one normal form.
 */

/** NFKC (full-width digits and letters, half-width kana → one form) without any spaces. */
const plain = (value: string | undefined) => (value ?? '').normalize('NFKC').replace(/\s+/g, '');

/** A 保険者番号 in one form: 6-digit 国保 numbers without padding (no 8-digit number starts with 00). */
export function insurerKey(value: string): string {
  const digits = plain(value);
  return /^00\d{6}$/.test(digits) ? digits.slice(2) : digits;
}

const branchKey = (value: string | undefined) => plain(value).replace(/^0+(?=\d)/, '');

/** Does this ORCA insurance hold the eligibility result's 保険者番号, 記号, 番号 (and 枝番 when both know it)? */
export function sameInsurance(person: ReceptionPerson, insurance: OrcaInsurance): boolean {
  if (insurerKey(person.insurerNumber) !== insurerKey(insurance.insurerNumber)) return false;
  if (plain(person.number) !== plain(insurance.number) || plain(person.symbol) !== plain(insurance.symbol)) return false;
  return !person.branch || !insurance.branch || branchKey(person.branch) === branchKey(insurance.branch);
}

/**
 * The 保険組合せ to send with the 受付: a current, shown combination with the patient's insurance, one
 * without 公費 first (the eligibility result says nothing of 公費), the lowest number first.
 */
export function matchingCombination(person: ReceptionPerson, patient: OrcaPatient, today: string): string | undefined {
  const usable = patient.insurances
    .filter((i) => i.combination && !i.hidden && (!i.expires || i.expires >= today) && sameInsurance(person, i))
    .sort((a, b) => Number(a.withPublic) - Number(b.withPublic) || a.combination.localeCompare(b.combination));
  return usable[0]?.combination;
}

/** A kana name as ORCA stores it: full-width katakana, one full-width space between the parts. */
export function orcaKana(kana: string): string {
  return kana.normalize('NFKC').trim().split(/\s+/).join('\u3000');
}

/** YYYYMMDD → YYYY-MM-DD. */
export function orcaDate(yyyymmdd: string): string {
  return /^\d{8}$/.test(yyyymmdd) ? `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6)}` : yyyymmdd;
}

/** Same name (kana, spaces ignored) and birth date: the name search matches by prefix, this decides. */
export function samePerson(person: ReceptionPerson, patient: OrcaPatient): boolean {
  return !!person.nameKana && !!person.birthDate && plain(person.nameKana) === plain(patient.kana) && orcaDate(person.birthDate) === patient.birthDate;
}

/** The registration request for a new patient, or undefined when the result lacks what ORCA requires. */
export function registrationOf(person: ReceptionPerson): RegistrationRequest | undefined {
  const sex = person.sex === '1' || person.sex === '2' ? person.sex : undefined;
  if (!person.name || !person.nameKana || !person.birthDate || !sex || !person.number) return undefined;
  return {
    name: person.name.trim().split(/\s+/).join('\u3000'),
    kana: orcaKana(person.nameKana),
    birthDate: orcaDate(person.birthDate),
    sex,
    insurerNumber: insurerKey(person.insurerNumber),
    ...(person.symbol ? { symbol: person.symbol } : {}),
    number: person.number,
    ...(person.branch ? { branch: person.branch } : {}),
  };
}
