import { hasUnsafeText } from '@kiosk/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from './cli.test-support.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioDocument, scenarioXml } from '@kiosk/mocks/terminal/fixtures.ts';
import { documentToXmlBytes } from '../drivers/oqs/xml-write.ts';
import command from './oqs.ts';

let dir = '';
afterEach(async () => {
  vi.restoreAllMocks();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[]) => runCommand(command, argv);

describe('kiosk-agent oqs parse', () => {
  it('--json prints header, body, results with the values as written, plus the outcome', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oqs-cli-'));
    const file = join(dir, 'face.xml');
    await writeFile(file, scenarioXml('kokuho-6digit'));
    const { code, out } = await run(['parse', file, '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['header', 'body', 'results', 'outcome']);
    expect(doc.outcome).toBe('valid');
    expect(doc.results[0].InsurerNumber).toMatch(/^ {2}\d{6}$/);
    expect(doc.header.SegmentOfResult).toBe('1');
  });

  it('--json carries the 医療扶助 医療券 list as written; the summary shows it normalised', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oqs-cli-'));
    const file = join(dir, 'face.xml');
    await writeFile(file, scenarioXml('public-assistance'));
    const json = await run(['parse', file, '--json']);
    const tickets = JSON.parse(json.out).results[0].PublicExpenseResultList.MedicalTicketInfo;
    expect(tickets).toHaveLength(2);
    expect(tickets[0]).toMatchObject({ IssueNumber: '0012345', MedicalTreatmentMonth: '202611', SelfPayAmount: '0001200', StatusOfInfecton: '0' });
    const text = await run(['parse', file]);
    expect(text.out).toContain('医療券 (TicketType 1): 2026-11-01 to 2026-11-30, month 2026-11, IssueNumber 0012345, self-pay 1200 yen');
  });

  it('prints a readable summary and fails clearly on a bad file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oqs-cli-'));
    const good = join(dir, 'good.xml');
    const bad = join(dir, 'bad.xml');
    await writeFile(good, scenarioXml('shift-jis'));
    await writeFile(bad, '<XmlMsg><MessageHeader>');
    const ok = await run(['parse', good]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('outcome: valid');
    expect(ok.out).toContain('試験　太郎');
    const failed = await run(['parse', bad]);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('OQS_FILE_MALFORMED');
  });

  it('prints terminal-safe text: bidi and C1 control characters of a file come out escaped', async () => {
    dir = await mkdtemp(join(tmpdir(), 'oqs-cli-'));
    const file = join(dir, 'face.xml');
    const { doc } = scenarioDocument('shaho-family');
    doc.results[0]!.Name = '試験\u202e太郎\u009b2J';
    await writeFile(file, documentToXmlBytes(doc, 'utf-8'));
    for (const args of [
      ['parse', file],
      ['parse', file, '--json'],
    ]) {
      const { code, out } = await run(args);
      expect(code).toBe(0);
      expect(hasUnsafeText(out.replaceAll('\n', ''))).toBe(false);
      expect(out).toContain('試験\\u202e太郎\\u009b2J');
    }
  });

  it.each([
    ['birth-date-impossible', /birth date: not usable: "20240230" is not a calendar date; the result goes to staff review/],
    ['birth-date-redacted', /birth date: not usable: "202410（カット）" was cut by the terminal's output setting; the result goes to staff review/],
  ] as const)('%s: says why the birth date is not used, in the summary and in --json', async (scenario, line) => {
    dir = await mkdtemp(join(tmpdir(), 'oqs-cli-'));
    const file = join(dir, 'face.xml');
    await writeFile(file, scenarioXml(scenario));
    expect((await run(['parse', file])).out).toMatch(line);
    const doc = JSON.parse((await run(['parse', file, '--json'])).out);
    expect(doc.warnings).toEqual([
      { result: 1, field: 'Birthdate', problem: scenario === 'birth-date-redacted' ? 'redacted' : 'not-a-date', message: expect.any(String) },
    ]);
  });

  it('explains usage', async () => {
    const help = await run(['parse', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('personal data');
    expect((await run(['parse'])).code).toBe(2);
    expect((await run(['nonsense'])).code).toBe(2);
  });
});
