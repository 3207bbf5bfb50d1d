import { japanStamp } from '@kiosk/agent/drivers/oqs/dates.ts';
import type { OqsEncoding } from '@kiosk/agent/drivers/oqs/encoding.ts';
import type {
  ElderlyField,
  LimitField,
  MedicalTicketField,
  OqsBody,
  OqsDocument,
  OqsHeader,
  OqsResult,
  RegistrationInfoField,
  SpecificDiseaseField,
  Strings,
} from '@kiosk/agent/drivers/oqs/fields.ts';
import { documentToXmlBytes } from '@kiosk/agent/drivers/oqs/xml-write.ts';
import { withCheckDigit } from './insurer-number.ts';

/**
 * Synthetic 資格確認結果 files for every case the agent must handle. Names are obviously fake
 * (試験 太郎), insurer numbers are made-up bodies with valid check digits.
 */
export const INSTITUTION_CODE = '1399999990';

export const INSURERS = {
  /** 社保 (8 digits). */
  shaho: withCheckDigit('0699901'),
  /** 国保 (6 digits, written space-padded to 8). */
  kokuho: withCheckDigit('13990'),
  /** 後期高齢者 (8 digits, 39…). */
  kouki: withCheckDigit('3913999'),
  /** 医療扶助 (生活保護): 公費負担者番号, 法別番号 12. */
  publicAssistance: withCheckDigit('1213999'),
} as const;

function person(overrides: OqsResult = {}): OqsResult {
  return {
    InsuredCardClassification: '01',
    InsurerNumber: INSURERS.shaho,
    InsuredCardSymbol: '試験１',
    InsuredIdentificationNumber: '0001234',
    InsuredBranchNumber: '00',
    PersonalFamilyClassification: '1',
    InsuredName: '試験　太郎',
    Name: '試験　太郎',
    NameKana: 'ｼｹﾝ ﾀﾛｳ',
    Sex1: '1',
    Birthdate: '19800401',
    Address: '東京都試験区試験町１－２－３',
    PostNumber: '100-0000',
    QualificationDate: '20200401',
    InsuredCertificateIssuanceDate: '20200401',
    InsuredCardValidDate: '20200401',
    InsurerName: '試験健康保険組合',
    LimitApplicationCertificateRelatedConsFlg: '1',
    LimitApplicationCertificateRelatedConsTime: '20261122093000',
    PharmacistsInfoConsFlg: '1',
    PharmacistsInfoConsTime: '20261122093000',
    PharmacistsInfoAvailableTime: '20261123093000',
    SpecificHealthCheckupsInfoConsFlg: '0',
    SpecificHealthCheckupsInfoConsTime: '20261122093000',
    DiagnosisInfoConsFlg: '1',
    DiagnosisInfoConsTime: '20261122093000',
    DiagnosisInfoAvailableTime: '20261123093000',
    ...overrides,
  };
}

const familyMember = person({
  PersonalFamilyClassification: '2',
  Name: '試験　花子',
  NameKana: 'ｼｹﾝ ﾊﾅｺ',
  Sex1: '2',
  Birthdate: '20100715',
  InsuredBranchNumber: '02',
  ReferenceNumber: '000123',
});

/** A 医療扶助 医療券 with every MedicalTicketInfo field set (the type makes a missing field a compile error). */
const medicalTicket: Record<MedicalTicketField, string> = {
  TicketType: '1',
  MedicalTicketValidDate: '20261101',
  MedicalTicketExpirationDate: '20261130',
  IssueNumber: '0012345',
  MedicalTreatmentMonth: '202611',
  DesignatedMedicalInstitutionCode: INSTITUTION_CODE,
  DesignatedMedicalInstitutionFlag: '1',
  DesignatedMedicalInstitutionName: '試験クリニック',
  PrescriptionIssuerMedicalInstitutionCode: INSTITUTION_CODE,
  PrescriptionIssuerMedicalInstitutionName: '試験クリニック',
  InjuryName1: '試験病１',
  InjuryName2: '試験病２',
  InjuryName3: '試験病３',
  MedicalTreatmentType: '1',
  SelfPayAmount: '0001200',
  DistrictContactName: '試験　次郎',
  HandlingContactName: '試験　三郎',
  SingleOrCombinedUse: '1',
  StatusOfSocialInsurance: '0',
  ConsistencyFlag: '1',
  StatusOfInfecton: '0',
  StatusOfElderlyMedicalCare: '0',
  StatusOfPrefecturalExpenses: '0',
  Remarks1: '試験用の備考',
  Remarks2: '備考２',
  Remarks3: '備考３',
};

/** 高齢受給者証 (70–74): 2割 from the month after the 70th birthday (every ElderlyRecipientCertificateInfo field set). */
const elderlyRecipient: Record<ElderlyField, string> = {
  ElderlyRecipientCertificateDate: '20240601',
  ElderlyRecipientValidStartDate: '20240701',
  ElderlyRecipientValidEndDate: '20270731',
  ElderlyRecipientContributionRatio: '020',
};

/**
 * 限度額適用・標準負担額減額認定証, 適用区分 B05 低所得Ⅱ, 長期入院該当. The terminal's spelling of the
 * classification flag is unconfirmed (fields.ts): the fixture writes the full one, the truncated one is
 * left out (a Record over every field would force both).
 */
const limitCertificate: Strings<LimitField> = {
  LimitApplicationCertificateClassification: '02',
  LimitApplicationCertificateClassificationFlag: 'B05',
  LimitApplicationCertificateDate: '20260801',
  LimitApplicationCertificateValidStartDate: '20260801',
  LimitApplicationCertificateValidEndDate: '20270731',
  LimitApplicationCertificateLongTermDate: '20261001',
};

/** 特定疾病療養受療証: 人工透析 (every SpecificDiseasesCertificateInfo field set) and HIV with fewer fields. */
const dialysis: Record<SpecificDiseaseField, string> = {
  SpecificDiseasesDiseaseCategory: '1',
  SpecificDiseasesCertificateDate: '20250401',
  SpecificDiseasesValidStartDate: '20250401',
  SpecificDiseasesValidEndDate: '20280331',
  SpecificDiseasesSelfPay: '10000',
};

interface Scenario {
  summary: string;
  header?: OqsHeader;
  body: OqsBody;
  results: OqsResult[];
  encoding?: OqsEncoding;
}

const validBody: OqsBody = { ProcessingResultStatus: '1', QualificationValidity: '1', PrescriptionIssueSelect: '1' };

const SCENARIOS = {
  'shaho-family': { summary: '社保 family member, valid', body: validBody, results: [familyMember] },
  'kokuho-6digit': {
    summary: '国保 with a 6-digit insurer number (space-padded)',
    body: validBody,
    results: [
      person({
        InsurerNumber: `  ${INSURERS.kokuho}`,
        InsuredCardSymbol: '試験',
        InsuredIdentificationNumber: '00456',
        InsuredBranchNumber: '01',
        InsurerName: '試験市',
      }),
    ],
  },
  'kouki-copay': {
    summary: '後期高齢者 with copay ratio 1割',
    body: validBody,
    results: [
      person({
        InsurerNumber: INSURERS.kouki,
        InsuredCardSymbol: undefined,
        InsuredIdentificationNumber: '99990001',
        InsuredBranchNumber: undefined,
        Birthdate: '19400101',
        InsuredPartialContributionRatio: '010',
        InsurerName: '試験県後期高齢者医療広域連合',
      }),
    ],
  },
  invalid: {
    summary: 'qualification invalid (lost)',
    body: { ProcessingResultStatus: '1', QualificationValidity: '2' },
    results: [person({ DisqualificationDate: '20261031', ReasonOfLoss: '03' })],
  },
  'new-qualification': {
    summary: 'invalid, a newer qualification exists',
    body: { ProcessingResultStatus: '1', QualificationValidity: '3' },
    results: [person({ DisqualificationDate: '20261031', ReasonOfLoss: '03' })],
  },
  'not-found': { summary: 'no qualification found', body: { ProcessingResultStatus: '1', QualificationValidity: '4' }, results: [] },
  multiple: {
    summary: 'several qualifications matched',
    body: { ProcessingResultStatus: '1', QualificationValidity: '5' },
    results: [person(), person({ InsurerNumber: `  ${INSURERS.kokuho}`, InsuredIdentificationNumber: '00789' })],
  },
  'error-header': {
    summary: 'terminal error (SegmentOfResult 9)',
    header: { SegmentOfResult: '9', ErrorCode: 'EQ9999', ErrorMessage: '試験用のエラーです' },
    body: {},
    results: [],
  },
  'shift-jis': { summary: 'valid, written in Shift_JIS', body: validBody, results: [person()], encoding: 'shift_jis' },
  'consent-old-names': { summary: 'consents with the older field names (PharmacistsInfo…, …AvailableTime)', body: validBody, results: [person()] },
  'consent-new-names': {
    summary: 'consents with the newer field names (PharmaceuticalInfo…, …AcquisitionTime)',
    body: validBody,
    results: [
      person({
        PharmacistsInfoConsFlg: undefined,
        PharmacistsInfoConsTime: undefined,
        PharmacistsInfoAvailableTime: undefined,
        PharmaceuticalInfoConsFlg: '0',
        PharmaceuticalInfoConsTime: '20261122093000',
        PharmaceuticalInfoAcquisitionTime: '20261123093000',
        SpecificHealthCheckupsInfoAcquisitionTime: '20261123093000',
      }),
    ],
  },
  'public-assistance': {
    summary: '医療扶助 (生活保護) with two 医療券 (PublicExpenseResultList)',
    body: validBody,
    results: [
      person({
        InsurerNumber: INSURERS.publicAssistance,
        InsuredCardSymbol: undefined,
        InsuredIdentificationNumber: '1234567',
        InsuredBranchNumber: undefined,
        InsurerName: '試験市福祉事務所',
        PublicExpenseResultList: {
          MedicalTicketInfo: [medicalTicket, { TicketType: '2', IssueNumber: '0012346', MedicalTreatmentMonth: '202611', SelfPayAmount: '0' }],
        },
      }),
    ],
  },
  'elderly-limit-diseases': {
    summary: '70–74 with a 高齢受給者証 (2割), a 限度額適用・標準負担額減額認定証 and two 特定疾病療養受療証',
    body: validBody,
    results: [
      person({
        InsuredIdentificationNumber: '0007070',
        Birthdate: '19540610',
        PersonalFamilyClassification: '1',
        ElderlyRecipientCertificateInfo: elderlyRecipient,
        LimitApplicationCertificateRelatedInfo: limitCertificate,
        SpecificDiseasesCertificateRelatedConsFlg: '1',
        SpecificDiseasesCertificateRelatedConsTime: '20261122093000',
        SpecificDiseasesCertificateList: {
          SpecificDiseasesCertificateInfo: [dialysis, { SpecificDiseasesDiseaseCategory: '3', SpecificDiseasesSelfPay: '0' }],
        },
      }),
    ],
  },
  'certificate-expiring': {
    summary: 'valid, with the certificate-expiry warning message',
    body: { ...validBody, ProcessingResultMessage: 'マイナンバーカードの電子証明書の有効期限まで3か月以内です' },
    results: [person()],
  },
  // Both occur in real files (public projects' test suites carry them): neither may be used as a date.
  'birth-date-impossible': {
    summary: 'valid, but the birth date is no calendar date (20240230)',
    body: validBody,
    results: [person({ InsuredIdentificationNumber: '0002402', Birthdate: '20240230' })],
  },
  'birth-date-redacted': {
    summary: "valid, the birth date's day cut by the terminal's output setting (202410（カット）)",
    body: validBody,
    results: [person({ InsuredIdentificationNumber: '0002410', Birthdate: '202410（カット）' })],
  },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

export function scenarioSummary(name: ScenarioName): string {
  return SCENARIOS[name].summary;
}

export interface FixtureOptions {
  /** ProcessExecutionTime (written in Japan time). */
  executedAt?: Date;
  /** ArbitraryFileIdentifier (一件照会 answers echo the request's). */
  fileIdentifier?: string;
  /** 2: answer to a request by insurance numbers; 1 (default): a card on the reader. */
  referenceClassification?: '1' | '2';
  searchInfo?: OqsBody['QualificationConfirmSearchInfo'];
}

/** Drops undefined fields so the document shows exactly what a file would contain. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function scenarioDocument(name: ScenarioName, options: FixtureOptions = {}): { doc: OqsDocument; encoding: OqsEncoding } {
  const scenario: Scenario = SCENARIOS[name];
  const encoding = scenario.encoding ?? 'utf-8';
  const header: OqsHeader = defined({
    ProcessExecutionTime: japanStamp(options.executedAt ?? new Date()),
    QualificationConfirmationDate: japanStamp(options.executedAt ?? new Date()).slice(0, 8),
    MedicalInstitutionCode: INSTITUTION_CODE,
    ArbitraryFileIdentifier: options.fileIdentifier,
    ReferenceClassification: options.referenceClassification ?? '1',
    SegmentOfResult: '1',
    CharacterCodeIdentifier: encoding === 'shift_jis' ? '1' : '0',
    ...scenario.header,
  });
  const body: OqsBody = defined({ ...scenario.body, QualificationConfirmSearchInfo: options.searchInfo });
  return { doc: { header, body, results: scenario.results.map(defined) }, encoding };
}

export function scenarioXml(name: ScenarioName, options: FixtureOptions = {}): Buffer {
  const { doc, encoding } = scenarioDocument(name, options);
  return documentToXmlBytes(doc, encoding);
}

/** Which scenario answers a 一件照会 for these numbers (anything else: not-found). */
export function scenarioForInsurance(insurerNumber: string, number: string): ScenarioName {
  const match = SCENARIO_NAMES.find(
    (name) =>
      SCENARIOS[name].results.length === 1 &&
      SCENARIOS[name].results.some((r: OqsResult) => r.InsurerNumber?.trim() === insurerNumber.trim() && r.InsuredIdentificationNumber === number),
  );
  return match ?? 'not-found';
}

/** The mock's code for a refused 照会番号登録 (the real terminal's codes are not in our references). */
export const REGISTRATION_REFUSED_CODE = 'MOCKIMM01';

/** The OQSsiimm01res for a registration: accepted for insurance in the fixture table, refused otherwise. */
export function registrationAnswerXml(info: Strings<RegistrationInfoField>, options: { executedAt: Date; fileIdentifier: string }): Buffer {
  const known = scenarioForInsurance(info.InsurerNumber ?? '', info.InsuredIdentificationNumber ?? '') !== 'not-found';
  const header: OqsHeader = {
    ProcessExecutionTime: japanStamp(options.executedAt),
    MedicalInstitutionCode: INSTITUTION_CODE,
    ArbitraryFileIdentifier: options.fileIdentifier,
    SegmentOfResult: '1',
    CharacterCodeIdentifier: '0',
  };
  const body: OqsBody = known
    ? { ProcessingResultStatus: '1' }
    : { ProcessingResultStatus: '2', ProcessingResultCode: REGISTRATION_REFUSED_CODE, ProcessingResultMessage: '該当する資格がありません（試験）' };
  return documentToXmlBytes({ header, body, results: [] }, 'utf-8');
}
