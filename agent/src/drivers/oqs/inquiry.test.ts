import { afterEach, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock } from '../../clock.ts';
import { silentLogger } from '../../logger.ts';
import { openDatabase } from '../../storage/db.ts';
import { INSURERS, REGISTRATION_REFUSED_CODE } from '@kiosk/mocks/terminal/fixtures.ts';
import type { OqsConfigInput } from './config.ts';
import { createOqsInquiry } from './inquiry.ts';
import { parseOqsFile } from './parse.ts';
import { padInsurerNumber } from './requests.ts';
import { terminalFixture } from './terminal.test-support.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(overrides: Partial<OqsConfigInput> = {}) {
  const fixture = await terminalFixture(overrides);
  const db = openDatabase(':memory:');
  const inquiry = createOqsInquiry(fixture.config, { db, clock: systemClock, logger: silentLogger });
  cleanups.push(
    fixture.cleanup,
    () => void db.close(),
    () => inquiry.stop(),
  );
  return { ...fixture, inquiry };
}

const kokuhoQuery = { insurerNumber: INSURERS.kokuho, symbol: '試験', number: '00456', branch: '01', birthDate: '19800401' };

describe('一件照会 (OQSsiquc01req → res)', { timeout: 30_000 }, () => {
  it('pads a 6-digit insurer number with spaces to 8', () => {
    expect(padInsurerNumber('138057')).toBe('  138057');
    expect(padInsurerNumber('01130012')).toBe('01130012');
  });

  it('writes the request, waits for the matching res file and parses it', async () => {
    const { inquiry, terminal } = await setup();
    const result = await inquiry.byInsuranceNumbers(kokuhoQuery);
    expect(result).toMatchObject({ ok: true, value: { outcome: 'valid', source: 'insurance-numbers' } });
    expect(result.ok && result.value.people[0]?.insurerNumber).toBe(`  ${INSURERS.kokuho}`);
    expect(terminal.answered).toHaveLength(1);
    expect(terminal.answered[0]).toMatch(/^OQSsiquc01req_\w+\.xml$/);
  });

  it('writes the fields the terminal expects, in Shift_JIS unless told otherwise', async () => {
    const { inquiry, terminal } = await setup();
    await terminal.stop(); // keep the request in req to inspect it
    const controller = new AbortController();
    const pending = inquiry.byInsuranceNumbers(kokuhoQuery, controller.signal);
    let names: string[] = [];
    while (names.length === 0) names = (await readdir(terminal.reqDir)).filter((n) => !n.startsWith('.'));
    const bytes = await readFile(join(terminal.reqDir, names[0]!));
    expect(bytes.subarray(0, 60).toString('latin1')).toContain('encoding="Shift_JIS"');
    const request = parseOqsFile(bytes);
    expect(request.ok && request.value.body.QualificationConfirmSearchInfo).toEqual({
      InsurerNumber: `  ${INSURERS.kokuho}`,
      InsuredCardSymbol: '試験',
      InsuredIdentificationNumber: '00456',
      InsuredBranchNumber: '01',
      Birthdate: '19800401',
    });
    expect(request.ok && request.value.header).toMatchObject({ MedicalInstitutionCode: '1399999990', ArbitraryFileIdentifier: names[0]!.slice(14, -4) });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_TIMEOUT' } });
  });

  it('the same query within the window reuses the request instead of writing a second one', async () => {
    const { inquiry, terminal } = await setup();
    const [a, b] = await Promise.all([inquiry.byInsuranceNumbers(kokuhoQuery), inquiry.byInsuranceNumbers({ ...kokuhoQuery })]);
    const c = await inquiry.byInsuranceNumbers(kokuhoQuery);
    expect([a.ok, b.ok, c.ok]).toEqual([true, true, true]);
    expect(terminal.answered).toHaveLength(1);
  });

  it('unknown numbers come back not-found; no answer in time is ELIGIBILITY_TIMEOUT', async () => {
    const { inquiry } = await setup();
    expect(await inquiry.byInsuranceNumbers({ ...kokuhoQuery, number: '99999' })).toMatchObject({ ok: true, value: { outcome: 'not-found', people: [] } });
    const slow = await setup({ inquiryTimeoutMs: 300 });
    await slow.terminal.stop();
    expect(await slow.inquiry.byInsuranceNumbers(kokuhoQuery)).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_TIMEOUT' } });
  });

  it('refuses malformed queries without echoing them', async () => {
    const { inquiry } = await setup();
    const r = await inquiry.byInsuranceNumbers({ ...kokuhoQuery, insurerNumber: '12345' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(JSON.stringify(r)).not.toContain('12345');
  });
});

describe('照会番号登録 (OQSsiimm01req → res)', { timeout: 30_000 }, () => {
  const registration = { insurerNumber: INSURERS.kokuho, number: '00456', branch: '01', referenceNumber: '000123' };

  it('writes the registration request atomically with the padded insurer number', async () => {
    const { inquiry, terminal } = await setup();
    await terminal.stop(); // keep the request in req to inspect it
    const controller = new AbortController();
    const pending = inquiry.registerReferenceNumber(registration, controller.signal);
    let names: string[] = [];
    while (names.length === 0) names = (await readdir(terminal.reqDir)).filter((n) => !n.startsWith('.'));
    expect(names).toEqual([expect.stringMatching(/^OQSsiimm01req_\w+\.xml$/)]);
    const text = (await readFile(join(terminal.reqDir, names[0]!))).toString('latin1');
    expect(text).toContain(`<InsurerNumber>  ${INSURERS.kokuho}</InsurerNumber>`);
    expect(text).toContain('<ReferenceNumber>000123</ReferenceNumber>');
    expect(text).not.toContain('InsuredCardSymbol');
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_TIMEOUT', details: { cancelled: true } } });
  });

  it("reads the terminal's answer: accepted → ok with the request id", async () => {
    const { inquiry, terminal } = await setup();
    const result = await inquiry.registerReferenceNumber(registration);
    expect(result.ok).toBe(true);
    expect(terminal.answered).toEqual([`OQSsiimm01req_${result.ok && result.value.requestId}.xml`]);
  });

  it("a refusal becomes ELIGIBILITY_SERVICE_ERROR with the terminal's codes and nothing personal", async () => {
    const { inquiry } = await setup();
    const result = await inquiry.registerReferenceNumber({ ...registration, number: 'NUM-4242', referenceNumber: 'P-777' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'ELIGIBILITY_SERVICE_ERROR', details: { resultCode: REGISTRATION_REFUSED_CODE, errorCode: null } },
    });
    expect(JSON.stringify(result)).not.toMatch(/NUM-4242|P-777|試験/);
  });

  it('no answer in time is ELIGIBILITY_TIMEOUT; a registration and a 一件照会 in flight each get their own res file', async () => {
    const slow = await setup({ inquiryTimeoutMs: 300 });
    await slow.terminal.stop();
    expect(await slow.inquiry.registerReferenceNumber(registration)).toMatchObject({ ok: false, error: { code: 'ELIGIBILITY_TIMEOUT' } });
    const { inquiry } = await setup();
    const [registered, inquired] = await Promise.all([inquiry.registerReferenceNumber(registration), inquiry.byInsuranceNumbers(kokuhoQuery)]);
    expect(registered.ok).toBe(true);
    expect(inquired).toMatchObject({ ok: true, value: { outcome: 'valid' } });
  });

  it('refuses a malformed registration before writing anything', async () => {
    const { inquiry, terminal } = await setup();
    expect(await inquiry.registerReferenceNumber({ ...registration, referenceNumber: ' ' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await inquiry.registerReferenceNumber({ ...registration, insurerNumber: '123' })).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(await readdir(terminal.reqDir)).toEqual([]);
  });
});
