import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SCENARIO_NAMES, scenarioDocument, scenarioXml } from '@kiosk/mocks/terminal/fixtures.ts';
import { encodeOqsText, type OqsEncoding } from './encoding.ts';
import { toEligibilityResult } from './eligibility.ts';
import { ELDERLY_FIELDS, LIMIT_FIELDS, MEDICAL_TICKET_FIELDS, RESULT_FIELDS, SPECIFIC_DISEASE_FIELDS, type OqsDocument, type OqsResult } from './fields.ts';
import { parseOqsFile } from './parse.ts';
import { viewOf } from './views.ts';
import { documentToXmlBytes } from './xml-write.ts';

const at = new Date('2026-11-22T01:15:30Z'); // 10:15:30 JST

function parse(bytes: Uint8Array) {
  const result = parseOqsFile(bytes);
  if (!result.ok) throw new Error(`expected a parse, got ${result.error.code}`);
  return result.value;
}

describe('parseOqsFile on every mock scenario', () => {
  it.each(SCENARIO_NAMES)('%s round-trips every value exactly', (name) => {
    const { doc, encoding } = scenarioDocument(name, { executedAt: at });
    const parsed = parse(documentToXmlBytes(doc, encoding));
    expect({ header: parsed.header, body: parsed.body, results: parsed.results }).toEqual(doc);
    expect(parsed.encoding).toBe(encoding);
  });

  it('maps validity and header errors to typed outcomes', () => {
    const outcomes = Object.fromEntries(SCENARIO_NAMES.map((n) => [n, parse(scenarioXml(n, { executedAt: at })).outcome]));
    expect(outcomes).toMatchObject({
      'shaho-family': 'valid',
      'kokuho-6digit': 'valid',
      'kouki-copay': 'valid',
      invalid: 'invalid',
      'new-qualification': 'invalid-new-qualification',
      'not-found': 'not-found',
      multiple: 'multiple',
      'error-header': 'error',
      'shift-jis': 'valid',
      'public-assistance': 'valid',
      'elderly-limit-diseases': 'valid',
    });
  });

  it('keeps the space-padded 6-digit insurer number and gives a trimmed view beside it', () => {
    const [result] = parse(scenarioXml('kokuho-6digit')).results as [OqsResult];
    expect(result.InsurerNumber).toMatch(/^ {2}\d{6}$/);
    expect(viewOf(result).insurerNumber).toBe(result.InsurerNumber?.trim());
  });

  it('reads 後期高齢者 copay "010" as 10 percent and dates as YYYY-MM-DD', () => {
    const parsed = parse(scenarioXml('kouki-copay'));
    const [result] = parsed.results as [OqsResult];
    expect(result.InsuredPartialContributionRatio).toBe('010');
    expect(viewOf(result)).toMatchObject({ copayPercent: 10, birthDate: '1940-01-01' });
    expect(toEligibilityResult(parsed).people[0]?.copayPercent).toBe(10);
  });

  it('reads consents under the older and the newer field names', () => {
    const old = toEligibilityResult(parse(scenarioXml('consent-old-names')));
    const newer = parse(scenarioXml('consent-new-names'));
    expect(old.consents).toEqual({ medication: true, checkup: false, diagnosis: true });
    expect(toEligibilityResult(newer).consents).toEqual({ medication: false, checkup: false, diagnosis: true });
    expect(viewOf(newer.results[0] as OqsResult).consents.medication).toEqual({
      given: false,
      at: '2026-11-22T09:30:00+09:00',
      availableUntil: '2026-11-23T09:30:00+09:00',
    });
  });

  it('passes the certificate-expiry message, the prescription choice and every person through', () => {
    const expiring = toEligibilityResult(parse(scenarioXml('certificate-expiring')));
    expect(expiring.message).toContain('3か月');
    expect(expiring.prescription).toBe('electronic');
    expect(toEligibilityResult(parse(scenarioXml('multiple'))).people).toHaveLength(2);
    const family = toEligibilityResult(parse(scenarioXml('shaho-family')));
    expect(family.people[0]).toMatchObject({ birthDate: '20100715', referenceNumber: '000123', branch: '02' });
  });

  it.each([
    ['birth-date-impossible', '20240230', 'not-a-date'],
    ['birth-date-redacted', '202410（カット）', 'redacted'],
  ] as const)('%s: kept as written, never a date in the view or the eligibility result (it reaches no screen)', (scenario, written, problem) => {
    const parsed = parse(scenarioXml(scenario));
    const [result] = parsed.results as [OqsResult];
    expect(parsed.outcome).toBe('valid');
    expect(result.Birthdate).toBe(written);
    expect(viewOf(result)).toMatchObject({ birthDateProblem: problem });
    expect(viewOf(result).birthDate).toBeUndefined();
    expect(toEligibilityResult(parsed).people[0]?.birthDate).toBe('');
    expect(viewOf(parse(scenarioXml('shaho-family')).results[0]!).birthDateProblem).toBeUndefined();
  });

  it('reads the 医療扶助 医療券 list (PublicExpenseResultList) as written, with normalised views beside it', () => {
    const [result] = parse(scenarioXml('public-assistance', { executedAt: at })).results as [OqsResult];
    const tickets = result.PublicExpenseResultList?.MedicalTicketInfo ?? [];
    expect(tickets).toHaveLength(2);
    expect(Object.keys(tickets[0] ?? {})).toEqual([...MEDICAL_TICKET_FIELDS]);
    expect(tickets[0]).toMatchObject({ IssueNumber: '0012345', SelfPayAmount: '0001200', DistrictContactName: '試験　次郎' });
    expect(viewOf(result).medicalTickets).toEqual([
      {
        ticketType: '1',
        validFrom: '2026-11-01',
        validUntil: '2026-11-30',
        treatmentMonth: '2026-11',
        issueNumber: '0012345',
        designatedInstitutionCode: '1399999990',
        selfPayYen: 1200,
      },
      {
        ticketType: '2',
        validFrom: undefined,
        validUntil: undefined,
        treatmentMonth: '2026-11',
        issueNumber: '0012346',
        designatedInstitutionCode: undefined,
        selfPayYen: 0,
      },
    ]);
    expect(viewOf(parse(scenarioXml('shaho-family')).results[0] as OqsResult).medicalTickets).toEqual([]);
  });

  it('reads the 高齢受給者, 限度額適用 and 特定疾病 sub-records as written, in both encodings, with views beside them', () => {
    const { doc } = scenarioDocument('elderly-limit-diseases', { executedAt: at });
    for (const encoding of ['utf-8', 'shift_jis'] as const) {
      const parsed = parse(documentToXmlBytes(doc, encoding));
      expect(parsed.results).toEqual(doc.results);
      const [result] = parsed.results as [OqsResult];
      expect(Object.keys(result.ElderlyRecipientCertificateInfo ?? {})).toEqual([...ELDERLY_FIELDS]);
      expect(result.ElderlyRecipientCertificateInfo?.ElderlyRecipientContributionRatio).toBe('020');
      expect(result.LimitApplicationCertificateRelatedInfo).toMatchObject({
        LimitApplicationCertificateClassification: '02',
        LimitApplicationCertificateClassificationFlag: 'B05',
      });
      const diseases = result.SpecificDiseasesCertificateList?.SpecificDiseasesCertificateInfo ?? [];
      expect(diseases.map((d) => Object.keys(d))).toEqual([[...SPECIFIC_DISEASE_FIELDS], ['SpecificDiseasesDiseaseCategory', 'SpecificDiseasesSelfPay']]);
      expect(result.SpecificDiseasesCertificateRelatedConsFlg).toBe('1');
      expect(viewOf(result)).toMatchObject({
        copayPercent: 20,
        limitClassification: '限度額適用・標準負担額減額認定証',
        limitCategory: '低所得Ⅱ',
        specificDiseases: ['人工透析を必要とする慢性腎不全', '血液凝固因子製剤の投与に起因するHIV感染症'],
      });
    }
    expect(toEligibilityResult(parse(scenarioXml('elderly-limit-diseases'))).people[0]?.copayPercent).toBe(20);
  });

  it('reads the 適用区分 under the truncated spelling (…ClassificationFla) too', () => {
    const { doc } = scenarioDocument('elderly-limit-diseases');
    const [person] = doc.results as [OqsResult];
    const { LimitApplicationCertificateClassificationFlag: flag, ...limit } = person.LimitApplicationCertificateRelatedInfo ?? {};
    const truncated = {
      ...doc,
      results: [{ ...person, LimitApplicationCertificateRelatedInfo: { ...limit, LimitApplicationCertificateClassificationFla: flag } }],
    };
    const [result] = parse(documentToXmlBytes(truncated, 'utf-8')).results as [OqsResult];
    expect(result.LimitApplicationCertificateRelatedInfo?.LimitApplicationCertificateClassificationFla).toBe('B05');
    expect(viewOf(result).limitCategory).toBe('低所得Ⅱ');
  });

  it('parses both Shift_JIS and UTF-8 files with Japanese text', () => {
    const sjis = scenarioXml('shift-jis');
    expect(sjis.includes(Buffer.from('試験', 'utf8'))).toBe(false);
    expect(parse(sjis).results[0]?.Name).toBe('試験　太郎');
  });
});

describe('bad files become typed errors', () => {
  const good = scenarioXml('shaho-family');
  const codeOf = (bytes: Uint8Array, maxBytes?: number) => {
    const r = parseOqsFile(bytes, maxBytes === undefined ? {} : { maxBytes });
    return r.ok ? 'ok' : r.error.code;
  };

  it('truncated → OQS_FILE_MALFORMED', () => expect(codeOf(good.subarray(0, good.length - 40))).toBe('OQS_FILE_MALFORMED'));
  it('not XmlMsg → OQS_FILE_MALFORMED', () => expect(codeOf(Buffer.from('<?xml version="1.0"?><Other/>'))).toBe('OQS_FILE_MALFORMED'));
  it('a DTD → OQS_FILE_MALFORMED', () =>
    expect(codeOf(Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><XmlMsg><MessageHeader/></XmlMsg>'))).toBe('OQS_FILE_MALFORMED'));
  it('oversized → OQS_FILE_TOO_LARGE', () => expect(codeOf(good, 100)).toBe('OQS_FILE_TOO_LARGE'));
  it('Shift_JIS bytes declared UTF-8 → OQS_FILE_ENCODING', () => {
    const lying = Buffer.from(scenarioXml('shift-jis').toString('latin1').replace('Shift_JIS', 'UTF-8'), 'latin1');
    expect(codeOf(lying)).toBe('OQS_FILE_ENCODING');
  });
  it('an unknown declared encoding → OQS_FILE_ENCODING', () =>
    expect(codeOf(Buffer.from('<?xml version="1.0" encoding="EBCDIC"?><XmlMsg/>'))).toBe('OQS_FILE_ENCODING'));
  it('the error carries no file content', () => {
    const r = parseOqsFile(good.subarray(0, good.length - 40));
    expect(JSON.stringify(r)).not.toContain('試験');
  });
});

describe('properties', () => {
  // Values as the terminal may write them: any printable text incl. Japanese, leading zeros and spaces.
  const text = fc.string({ unit: fc.constantFrom(...'0123456789 ABCｱｲｳ試験太郎花子東京都-&<>'.split('')), minLength: 0, maxLength: 12 });
  // A sub-record is written only with at least one element in it (an empty one would parse as absent).
  const subRecord = <K extends string>(fields: readonly K[]) => fc.dictionary(fc.constantFrom(...fields), text, { minKeys: 1, maxKeys: 8 });
  const listOf = <T>(item: fc.Arbitrary<T>) => fc.array(item, { minLength: 1, maxLength: 3 });
  const subRecords = fc.record(
    {
      ElderlyRecipientCertificateInfo: subRecord(ELDERLY_FIELDS),
      LimitApplicationCertificateRelatedInfo: subRecord(LIMIT_FIELDS),
      SpecificDiseasesCertificateList: listOf(subRecord(SPECIFIC_DISEASE_FIELDS)).map((items) => ({ SpecificDiseasesCertificateInfo: items })),
      PublicExpenseResultList: listOf(subRecord(MEDICAL_TICKET_FIELDS)).map((tickets) => ({ MedicalTicketInfo: tickets })),
    },
    { requiredKeys: [] },
  );
  const result: fc.Arbitrary<OqsResult> = fc
    .tuple(fc.dictionary(fc.constantFrom(...RESULT_FIELDS), text, { maxKeys: 12 }), subRecords)
    .map(([fields, records]) => ({ ...fields, ...records }));
  const doc: fc.Arbitrary<OqsDocument> = fc.record({
    header: fc.record({ ProcessExecutionTime: fc.constant('20261122101530'), SegmentOfResult: fc.constantFrom('1', '9'), ArbitraryFileIdentifier: text }),
    body: fc.record({ QualificationValidity: fc.constantFrom('1', '2', '3', '4', '5'), ProcessingResultMessage: text }),
    results: fc.array(result, { maxLength: 3 }),
  });

  it('generated result → XML in either encoding → parse gives the same values', () => {
    fc.assert(
      fc.property(doc, fc.constantFrom<OqsEncoding>('utf-8', 'shift_jis'), (d, encoding) => {
        const parsed = parse(documentToXmlBytes(d, encoding));
        expect({ header: parsed.header, body: parsed.body, results: parsed.results }).toEqual(d);
      }),
      { numRuns: 60 },
    );
  }, 30_000);

  it('arbitrary bytes → a typed error or a parse, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const r = parseOqsFile(bytes);
        if (!r.ok) expect(['OQS_FILE_MALFORMED', 'OQS_FILE_ENCODING', 'OQS_FILE_TOO_LARGE']).toContain(r.error.code);
      }),
      { numRuns: 200 },
    );
  }, 30_000);

  it('corrupted real files → a typed error or a parse, never a throw', () => {
    const good = scenarioXml('shaho-family');
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (i, b) => {
        const copy = Buffer.from(good);
        copy[i] = b;
        const r = parseOqsFile(copy);
        expect(r.ok || r.error.code.startsWith('OQS_FILE_')).toBe(true);
      }),
      { numRuns: 30 },
    );
  }, 30_000);

  it('encodes Shift_JIS as cp932 bytes', () => expect(encodeOqsText('試', 'shift_jis')).toEqual(Buffer.from([0x8e, 0x8e])));
});
