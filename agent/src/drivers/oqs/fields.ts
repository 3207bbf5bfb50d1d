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

/** 照会番号登録 (OQSsiimm01req): the clinic's patient number and the insurance it belongs to. */
export const REGISTRATION_INFO_FIELDS = [
  'ReferenceNumber',
  'InsurerNumber',
  'InsuredCardSymbol',
  'InsuredIdentificationNumber',
  'InsuredBranchNumber',
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

/** 医療扶助 (生活保護) 医療券・調剤券: PublicExpenseResultList/MedicalTicketInfo, one per ticket. */
export const MEDICAL_TICKET_FIELDS = [
  'TicketType',
  'MedicalTicketValidDate',
  'MedicalTicketExpirationDate',
  'IssueNumber',
  'MedicalTreatmentMonth',
  'DesignatedMedicalInstitutionCode',
  'DesignatedMedicalInstitutionFlag',
  'DesignatedMedicalInstitutionName',
  'PrescriptionIssuerMedicalInstitutionCode',
  'PrescriptionIssuerMedicalInstitutionName',
  'InjuryName1',
  'InjuryName2',
  'InjuryName3',
  'MedicalTreatmentType',
  'SelfPayAmount',
  'DistrictContactName',
  'HandlingContactName',
  'SingleOrCombinedUse',
  'StatusOfSocialInsurance',
  'ConsistencyFlag',
  // Spelled so in the public field lists found (感染症法第37条の2); the terminal's spelling is unconfirmed.
  'StatusOfInfecton',
  'StatusOfElderlyMedicalCare',
  'StatusOfPrefecturalExpenses',
  'Remarks1',
  'Remarks2',
  'Remarks3',
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
export type RegistrationInfoField = (typeof REGISTRATION_INFO_FIELDS)[number];
export type ResultField = (typeof RESULT_FIELDS)[number];
export type ElderlyField = (typeof ELDERLY_FIELDS)[number];
export type LimitField = (typeof LIMIT_FIELDS)[number];
export type SpecificDiseaseField = (typeof SPECIFIC_DISEASE_FIELDS)[number];
export type MedicalTicketField = (typeof MEDICAL_TICKET_FIELDS)[number];

/** Every value exactly as written in the file (no trimming, no number parsing). */
export type Strings<K extends string> = Partial<Record<K, string>>;

export type OqsHeader = Strings<HeaderField>;
export type OqsSearchInfo = Strings<SearchInfoField>;
export interface OqsBody extends Strings<BodyField> {
  /** 一件照会: the request's search keys (echoed in the result). */
  QualificationConfirmSearchInfo?: OqsSearchInfo;
  /** 照会番号登録: the request's registration (read from a req file, e.g. by the mock terminal). */
  ReferenceNumberRegistrationInfo?: Strings<RegistrationInfoField>;
}
export interface OqsResult extends Strings<ResultField> {
  ElderlyRecipientCertificateInfo?: Strings<ElderlyField>;
  LimitApplicationCertificateRelatedInfo?: Strings<LimitField>;
  SpecificDiseasesCertificateList?: { SpecificDiseasesCertificateInfo: Strings<SpecificDiseaseField>[] };
  PublicExpenseResultList?: { MedicalTicketInfo: Strings<MedicalTicketField>[] };
}

/** A 資格確認結果 file, keyed by element names. */
export interface OqsDocument {
  header: OqsHeader;
  body: OqsBody;
  results: OqsResult[];
}
