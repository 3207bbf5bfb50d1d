import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCUMENT_REASON_WORDING, PATIENT_GUIDANCE_WORDING } from '@kiosk/protocol';
import documents from './documents.ts';

let log: MockInstance<typeof console.log>;
let error: MockInstance<typeof console.error>;

beforeEach(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
  error = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

const printed = () => log.mock.calls.map((call) => call.join(' ')).join('\n');
const printedJson = () => JSON.parse(printed()) as Record<string, unknown>;

describe('kiosk-agent documents', () => {
  it('prints the 2026-11-22 decision for the card with the お知らせ when the reader is down', async () => {
    const code = await documents.run(['--date', '2026-11-22', '--reader-unavailable', 'myna_card', 'shikaku_joho_oshirase']);
    expect(code).toBe(0);
    const text = printed();
    expect(text).toContain('Decision: conditional');
    expect(text).toContain('enter-insurance-from-notice');
    expect(text).toContain('visual-photo-check');
    expect(text).toContain('目視');
    expect(text).toContain('(reader unavailable)');
  });

  it('--json: one document with decision, reasons, staff checks and the patient wording in ja and en', async () => {
    expect(await documents.run(['--date', '2026-11-22', '--json', 'shikaku_joho_oshirase'])).toBe(0);
    expect(log).toHaveBeenCalledTimes(1);
    const json = printedJson();
    expect(json).toMatchObject({
      date: '2026-11-22',
      documents: ['shikaku_joho_oshirase'],
      decision: 'rejected',
      reasons: ['notice-alone-not-enough', 'temporary-handling-ended'],
      staffChecks: ['offer-self-declaration', 'staff-decides-self-pay'],
      patientGuidance: 'notice-alone-not-enough',
    });
    expect(json.patient).toEqual(PATIENT_GUIDANCE_WORDING['notice-alone-not-enough']);
    expect(json.staff).toEqual([
      { check: 'offer-self-declaration', ja: expect.stringContaining('被保険者資格申立書'), en: expect.any(String) },
      { check: 'staff-decides-self-pay', ja: expect.any(String), en: expect.any(String) },
    ]);
  });

  it('--expiry decides a 資格確認書 by its printed date', async () => {
    await documents.run(['--date', '2026-11-22', '--json', '--expiry', 'shikaku_kakuninsho=2026-11-22', 'shikaku_kakuninsho']);
    expect(printedJson().decision).toBe('accepted');
    log.mockClear();
    await documents.run(['--date', '2026-11-23', '--json', '--expiry', 'shikaku_kakuninsho=2026-11-22', 'shikaku_kakuninsho']);
    expect(printedJson().decision).toBe('rejected');
  });

  it('passes the certificate, insurer and reader facts through', async () => {
    await documents.run(['--date', '2025-09-19', '--json', '--general-reader', '--certificate', 'expiring', 'smartphone_myna']);
    expect(printedJson()).toMatchObject({ decision: 'accepted', reasons: ['smartphone-via-general-reader', 'certificate-expiring'] });
    log.mockClear();
    await documents.run(['--date', '2025-08-01', '--json', '--insurer-kind', 'kokuho', 'shikaku_joho_oshirase']);
    expect(printedJson()).toMatchObject({ decision: 'conditional', staffChecks: ['online-single-lookup'] });
    log.mockClear();
    await documents.run(['--date', '2025-08-01', '--json', '--insurer-kind', 'kokuho', '--online-unavailable', 'shikaku_joho_oshirase']);
    expect(printedJson()).toMatchObject({ decision: 'rejected' });
  });

  it('--insurer-kind kouki: covered by the temporary handling from 2025-08-04, not the day before', async () => {
    await documents.run(['--date', '2025-08-03', '--json', '--insurer-kind', 'kouki', 'shikaku_joho_oshirase']);
    expect(printedJson().decision).toBe('rejected');
    log.mockClear();
    await documents.run(['--date', '2025-08-04', '--json', '--insurer-kind', 'kouki', 'shikaku_joho_oshirase']);
    expect(printedJson()).toMatchObject({ decision: 'conditional', staffChecks: ['online-single-lookup'] });
  });

  it('--certificate-expiry computes the state with the table; --certificate (a verdict) wins over it', async () => {
    await documents.run(['--date', '2026-08-31', '--json', '--certificate-expiry', '2026-05-15', 'myna_card']);
    expect(printedJson()).toMatchObject({ decision: 'accepted', reasons: ['myna-card-via-reader', 'certificate-grace-eligibility-only'] });
    log.mockClear();
    await documents.run(['--date', '2026-09-01', '--json', '--certificate-expiry', '2026-05-15', 'myna_card']);
    expect(printedJson()).toMatchObject({ decision: 'rejected', reasons: ['certificate-expired'] });
    log.mockClear();
    await documents.run(['--date', '2026-09-01', '--json', '--certificate-expiry', '2026-05-15', '--certificate', 'grace', 'myna_card']);
    expect(printedJson().decision).toBe('accepted');
  });

  it("--online-lookup: the desk's 一件照会 answer weighs in", async () => {
    await documents.run(['--date', '2026-12-02', '--json', '--online-lookup', 'not-found', 'myna_card', 'shikaku_joho_oshirase']);
    expect(printedJson()).toMatchObject({ decision: 'conditional', reasons: ['card-with-notice-new-insurer-pending'] });
    log.mockClear();
    await documents.run(['--date', '2026-12-02', '--online-lookup', 'multiple', '--expiry', 'shikaku_kakuninsho=2027-07-31', 'shikaku_kakuninsho']);
    expect(printed()).toContain('Decision: rejected');
    expect(printed()).toContain('一件照会 multiple');
  });

  it('takes medical_ticket with its printed month, and --cannot-operate-reader', async () => {
    await documents.run(['--date', '2026-12-02', '--json', '--expiry', 'medical_ticket=2026-12-31', 'medical_ticket']);
    expect(printedJson()).toMatchObject({ decision: 'conditional', staffChecks: ['confirm-medical-ticket'], patientGuidance: 'medical-ticket-at-desk' });
    log.mockClear();
    await documents.run(['--date', '2026-12-02', '--json', '--cannot-operate-reader', 'myna_card', 'mobile_consent_app']);
    expect(printedJson()).toMatchObject({ decision: 'conditional', reasons: ['card-via-mobile-consent-app', 'patient-cannot-operate-reader'] });
  });

  it('prints the reasons and checks with the same wording the kiosk and the console use', async () => {
    await documents.run(['--date', '2026-12-02', '--json', 'shikaku_joho_oshirase']);
    expect(printedJson().why).toEqual([
      { reason: 'notice-alone-not-enough', ...DOCUMENT_REASON_WORDING['notice-alone-not-enough'] },
      { reason: 'temporary-handling-ended', ...DOCUMENT_REASON_WORDING['temporary-handling-ended'] },
    ]);
  });

  it('--rules applies a table override from a JSON file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'rules.json');
    writeFileSync(file, JSON.stringify({ temporaryHandling: { lastDay: '2026-12-31' } }));
    await documents.run(['--date', '2026-11-22', '--json', '--rules', file, 'shikaku_joho_oshirase']);
    expect(printedJson().decision).toBe('conditional');
  });

  it('--timeline lists the dates of the table', async () => {
    expect(await documents.run(['--timeline'])).toBe(0);
    expect(printed()).toMatch(/\n2024-12-02 .*\n[\s\S]*2025-08-04 .*後期高齢者医療[\s\S]*2026-07-31 .*Last day of the temporary handling/);
  });

  it('--timeline starts with the rules edition: the day it was checked and its sources', async () => {
    await documents.run(['--timeline']);
    const text = printed();
    expect(text).toMatch(/^Rules edition: checked 2026-12-02\n/);
    expect(text).toContain('2026-03-19  暫定措置を7月末まで延長');
    expect(text).toContain('No clinic override.');
  });

  it('--timeline --rules says the override is active and moves the date', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'rules-')), 'rules.json');
    writeFileSync(file, JSON.stringify({ temporaryHandling: { lastDay: '2026-09-30' } }));
    await documents.run(['--timeline', '--json', '--rules', file]);
    const json = printedJson() as { edition: { checkedOn: string }; override: unknown; timeline: Array<{ event: string; date: string }> };
    expect(json.edition.checkedOn).toBe('2026-12-02');
    expect(json.override).toEqual({ file, fields: ['temporaryHandling.lastDay'] });
    expect(json.timeline).toContainEqual(expect.objectContaining({ event: 'temporaryHandlingLastDay', date: '2026-09-30' }));
  });

  it('--help prints the usage and the document ids', async () => {
    expect(await documents.run(['--help'])).toBe(0);
    expect(printed()).toContain('Usage: kiosk-agent documents');
    expect(printed()).toContain('mynaportal_screen');
  });

  it.each([
    ['an unknown document id', ['--date', '2026-11-22', 'passport'], 'unknown document id "passport"'],
    ['an impossible date', ['--date', '2026-02-30', 'myna_card'], 'date'],
    ['a malformed date', ['--date', '22/11/2026', 'myna_card'], 'date'],
    ['an unknown option', ['--bogus', 'myna_card'], '--bogus'],
    ['an --expiry on a document without one', ['--expiry', 'myna_card=2030-01-01', 'myna_card'], '--expiry expects'],
    ['an unknown certificate state', ['--certificate', 'revoked', 'myna_card'], '--certificate must be one of valid, expiring, grace, expired; got "revoked"'],
    ['an unknown insurer kind', ['--insurer-kind', 'kyosai', 'myna_card'], '--insurer-kind must be one of kokuho, kouki, other; got "kyosai"'],
    [
      'an unknown lookup answer',
      ['--online-lookup', 'maybe', 'myna_card'],
      '--online-lookup must be one of valid, invalid, invalid-new-qualification, not-found, multiple, error',
    ],
    ['an impossible certificate expiry', ['--certificate-expiry', '2026-02-30', 'myna_card'], '--certificate-expiry expects a calendar date'],
    ['a missing certificate expiry', ['myna_card', '--certificate-expiry'], '--certificate-expiry'],
    ['a missing rules file', ['--rules', '/nonexistent/rules.json', 'myna_card'], '--rules'],
  ])('refuses %s with a clear message and exit 2', async (_, argv, message) => {
    expect(await documents.run(argv)).toBe(2);
    expect(log).not.toHaveBeenCalled();
    expect(error.mock.calls.join('\n')).toContain(message);
  });
});
