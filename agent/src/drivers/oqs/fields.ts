/**
 * Element names of the 資格確認結果 / 資格確認照会 XML (外部インターフェイス), in one place: the parser,
 * the request writer, the mock terminal and the tests all read these lists.
 */

export const HEADER_FIELDS = [
  'ProcessExecutionTime',
  'QualificationConfirmationDate',
  'MedicalInstitutionCode',
  'ArbitraryFileIdentifier',
  'ReferenceClassification',
  'SegmentOfResult',
  'ErrorCode',
  'ErrorMessage',
  'CharacterCodeIdentifier',
] as const;

export const SEARCH_INFO_FIELDS = [
  'InsurerNumber',
  'InsuredCardSymbol',
  'InsuredIdentificationNumber',
  'InsuredBranchNumber',
  'Birthdate',
  'LimitApplicationCertificateRelatedConsFlg',
] as const;

export const BODY_FIELDS = [
  'ProcessingResultStatus',
  'ProcessingResultCode',
  'ProcessingResultMessage',
  'QualificationValidity',
  'PrescriptionIssueSelect',
] as const;

export const ELDERLY_FIELDS = [
  'ElderlyRecipientCertificateDate',
  'ElderlyRecipientValidStartDate',
  'ElderlyRecipientValidEndDate',
  'ElderlyRecipientContributionRatio',
] as const;

export const LIMIT_FIELDS = [
  'LimitApplicationCertificateClassification',
  'LimitApplicationCertificateClassificationFlag',
  // One public implementation reads this truncated spelling; which one the terminal writes is unconfirmed.
  'LimitApplicationCertificateClassificationFla',
  'LimitApplicationCertificateDate',
  'LimitApplicationCertificateValidStartDate',
  'LimitApplicationCertificateValidEndDate',
  'LimitApplicationCertificateLongTermDate',
] as const;

export const SPECIFIC_DISEASE_FIELDS = [
  'SpecificDiseasesDiseaseCategory',
  'SpecificDiseasesCertificateDate',
  'SpecificDiseasesValidStartDate',
  'SpecificDiseasesValidEndDate',
  'SpecificDiseasesSelfPay',
] as const;

/** Consent items as the terminal names them; both the older and the newer spellings occur. */
export const CONSENT_FIELD_PREFIXES = {
  checkup: ['SpecificHealthCheckupsInfo'],
  medication: ['PharmacistsInfo', 'PharmaceuticalInfo'],
  diagnosis: ['DiagnosisInfo'],
  operation: ['OperationInfo'],
} as const;

const consentFields = Object.values(CONSENT_FIELD_PREFIXES)
  .flat()
  .flatMap((prefix) => [`${prefix}ConsFlg`, `${prefix}ConsTime`, `${prefix}AvailableTime`, `${prefix}AcquisitionTime`] as const);

export const RESULT_FIELDS = [
  'InsuredCardClassification',
  'InsurerNumber',
  'InsuredCardSymbol',
  'InsuredIdentificationNumber',
  'InsuredBranchNumber',
  'PersonalFamilyClassification',
  'InsuredName',
  'Name',
  'NameOfOther',
  'NameKana',
  'NameOfOtherKana',
  'Sex1',
  'Sex2',
  'Birthdate',
  'Address',
  'PostNumber',
  'QualificationDate',
  'DisqualificationDate',
  'InsuredCertificateIssuanceDate',
  'InsuredCardValidDate',
  'InsuredCardExpirationDate',
  'InsuredPartialContributionRatio',
  'PreschoolClassification',
  'ReasonOfLoss',
  'InsurerName',
  'LimitApplicationCertificateRelatedConsFlg',
  'LimitApplicationCertificateRelatedConsTime',
  'SpecificDiseasesCertificateRelatedConsFlg',
  'SpecificDiseasesCertificateRelatedConsTime',
  ...consentFields,
  'ReferenceNumber',
  'ArbitraryIdentifier',
] as const;

export type HeaderField = (typeof HEADER_FIELDS)[number];
export type BodyField = (typeof BODY_FIELDS)[number];
export type SearchInfoField = (typeof SEARCH_INFO_FIELDS)[number];
export type ResultField = (typeof RESULT_FIELDS)[number];
export type ElderlyField = (typeof ELDERLY_FIELDS)[number];
export type LimitField = (typeof LIMIT_FIELDS)[number];
export type SpecificDiseaseField = (typeof SPECIFIC_DISEASE_FIELDS)[number];

/** Every value exactly as written in the file (no trimming, no number parsing). */
export type Strings<K extends string> = Partial<Record<K, string>>;

export type OqsHeader = Strings<HeaderField>;
export type OqsSearchInfo = Strings<SearchInfoField>;
export interface OqsBody extends Strings<BodyField> {
  QualificationConfirmSearchInfo?: OqsSearchInfo;
}
export interface OqsResult extends Strings<ResultField> {
  ElderlyRecipientCertificateInfo?: Strings<ElderlyField>;
  LimitApplicationCertificateRelatedInfo?: Strings<LimitField>;
  SpecificDiseasesCertificateList?: { SpecificDiseasesCertificateInfo: Strings<SpecificDiseaseField>[] };
}

/** A 資格確認結果 file, keyed by element names. */
export interface OqsDocument {
  header: OqsHeader;
  body: OqsBody;
  results: OqsResult[];
}
