import { describe, expect, it } from 'vitest';
import { createMockQualificationService, syntheticPerson } from './qualification.ts';

const cert = (serialHex: string) => ({ serialHex, issuer: 'CN=CA' });

describe('mock qualification service', () => {
  it('answers by registry state; unknown serials are registered with a synthetic person', async () => {
    const service = createMockQualificationService({
      registry: new Map([
        ['aa', 'unregistered'],
        ['bb', 'lost'],
      ]),
    });
    expect(await service.byCertificate(cert('aa'))).toEqual({ ok: true, value: { registration: 'unregistered' } });
    expect(await service.byCertificate(cert('bb'))).toEqual({ ok: true, value: { registration: 'lost' } });
    const unknown = await service.byCertificate(cert('cc'));
    expect(unknown.ok && unknown.value.eligibility?.people).toEqual([syntheticPerson('cc')]);
    expect((await service.register(cert('aa'))).ok).toBe(true);
    expect((await service.byCertificate(cert('aa'))).ok && (await service.byCertificate(cert('aa')))).toMatchObject({ value: { registration: 'registered' } });
    expect(await service.register(cert('bb'))).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_LOST_CARD' } });
  });

  it('一件照会 finds people by insurance numbers, padding-insensitive', async () => {
    const person = syntheticPerson('dd');
    const service = createMockQualificationService({ registry: new Map([['dd', 'registered']]) });
    const found = await service.byInsuranceNumbers({ insurerNumber: `  ${person.insurerNumber}`, number: person.number, birthDate: person.birthDate });
    expect(found).toMatchObject({ ok: true, value: { outcome: 'valid', source: 'insurance-numbers' } });
    expect(await service.byInsuranceNumbers({ insurerNumber: person.insurerNumber, number: '0', birthDate: person.birthDate })).toMatchObject({
      value: { outcome: 'not-found' },
    });
  });
});
