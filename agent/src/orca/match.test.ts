import { describe, expect, it } from 'vitest';
import type { OrcaInsurance, OrcaPatient } from './api.ts';
import { insurerKey, matchingCombination, orcaKana, registrationOf, samePerson } from './match.ts';

const insurance = (over: Partial<OrcaInsurance>): OrcaInsurance => ({
  combination: '0001',
  providerClass: '060',
  insurerNumber: '138057',
  symbol: '０１',
  number: '１２３４５６７',
  branch: '',
  expires: '9999-12-31',
  hidden: false,
  withPublic: false,
  ...over,
});
const patient = (insurances: OrcaInsurance[]): OrcaPatient => ({ patientId: '00012', kana: 'ニチイ　タロウ', birthDate: '1975-01-01', insurances });
const person = { name: '日医 太郎', nameKana: 'ﾆﾁｲ ﾀﾛｳ', birthDate: '19750101', sex: '1', insurerNumber: '  138057', symbol: '01', number: '1234567' };

describe('matching the eligibility result with ORCA', () => {
  it('compares 6-digit 国保 numbers padded by the terminal (spaces) or by zeros, and full-width 記号・番号', () => {
    expect(insurerKey('  138057')).toBe('138057');
    expect(insurerKey('00138057')).toBe('138057');
    expect(insurerKey('06139992')).toBe('06139992');
    expect(matchingCombination(person, patient([insurance({})]), '2026-12-02')).toBe('0001');
  });

  it('prefers a combination without 公費, skips expired and hidden ones, and finds none for another insurance', () => {
    const p = patient([
      insurance({ combination: '0001', withPublic: true }),
      insurance({ combination: '0002', expires: '2020-03-31' }),
      insurance({ combination: '0003', hidden: true }),
      insurance({ combination: '0004' }),
    ]);
    expect(matchingCombination(person, p, '2026-12-02')).toBe('0004');
    expect(matchingCombination({ ...person, number: '7654321' }, p, '2026-12-02')).toBeUndefined();
    expect(matchingCombination({ ...person, branch: '01' }, patient([insurance({ branch: '02' })]), '2026-12-02')).toBeUndefined();
    expect(matchingCombination({ ...person, branch: '01' }, patient([insurance({ branch: '1' })]), '2026-12-02')).toBe('0001');
  });

  it('writes the kana as ORCA stores it and matches name and birth date exactly', () => {
    expect(orcaKana('ﾆﾁｲ ﾀﾛｳ')).toBe('ニチイ　タロウ');
    expect(samePerson(person, patient([]))).toBe(true);
    expect(samePerson({ ...person, nameKana: 'ニチイ タロ' }, patient([]))).toBe(false);
    expect(samePerson({ ...person, birthDate: '19750102' }, patient([]))).toBe(false);
  });

  it('registers only with what ORCA requires (name, kana, birth date, sex, number)', () => {
    expect(registrationOf(person)).toEqual({
      name: '日医\u3000太郎',
      kana: 'ニチイ\u3000タロウ',
      birthDate: '1975-01-01',
      sex: '1',
      insurerNumber: '138057',
      symbol: '01',
      number: '1234567',
    });
    expect(registrationOf({ ...person, sex: '3' })).toBeUndefined();
    expect(registrationOf({ insurerNumber: '138057', number: '1' })).toBeUndefined();
  });
});
