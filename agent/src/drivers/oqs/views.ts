import type { ConsentItem } from '@kiosk/protocol';
import { codeLabel } from './codes.ts';
import { birthDateProblem, isoDateOf, japanIso, japanTimestamp, type BirthDateProblem } from './dates.ts';
import { CONSENT_FIELD_PREFIXES, type MedicalTicketField, type OqsResult, type ResultField, type Strings } from './fields.ts';

export interface ConsentView {
  given: boolean;
  /** When the patient answered (ISO 8601, Japan time). */
  at?: string;
  /** Until when the information may be retrieved (AvailableTime / AcquisitionTime). */
  availableUntil?: string;
}

/** Normalised view of one 医療扶助 医療券・調剤券 (MedicalTicketInfo). */
export interface MedicalTicketView {
  ticketType?: string;
  validFrom?: string;
  validUntil?: string;
  /** 診療年月 as YYYY-MM. */
  treatmentMonth?: string;
  issueNumber?: string;
  designatedInstitutionCode?: string;
  /** 本人支払額 in yen. */
  selfPayYen?: number;
}

/** Normalised view of one ResultOfQualificationConfirmation, beside (never instead of) the raw strings. */
export interface ResultView {
  /** 保険者番号 without padding (6 digits for 国保, 8 otherwise). */
  insurerNumber?: string;
  symbol?: string;
  number?: string;
  branch?: string;
  /** YYYY-MM-DD, only when the file's Birthdate is a calendar date; else birthDateProblem says why not. */
  birthDate?: string;
  birthDateProblem?: BirthDateProblem;
  sex?: string;
  personalFamily?: string;
  cardClassification?: string;
  qualificationDate?: string;
  disqualificationDate?: string;
  issuedOn?: string;
  validFrom?: string;
  validUntil?: string;
  /** 一部負担割合 in percent ("010" → 10), else the 高齢受給者 ratio. */
  copayPercent?: number;
  preschool: boolean;
  reasonOfLoss?: string;
  limitClassification?: string;
  limitCategory?: string;
  specificDiseases: string[];
  medicalTickets: MedicalTicketView[];
  consents: Partial<Record<ConsentItem, ConsentView>>;
}

const trimmed = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim());

function percentOf(v: string | undefined): number | undefined {
  const t = trimmed(v);
  if (t === undefined || !/^\d{1,3}$/.test(t)) return undefined;
  const n = Number(t);
  return n <= 100 ? n : undefined;
}

function monthOf(v: string | undefined): string | undefined {
  const m = /^\s*(\d{4})(0[1-9]|1[0-2])\s*$/.exec(v ?? '');
  return m ? `${m[1]}-${m[2]}` : undefined;
}

function yenOf(v: string | undefined): number | undefined {
  const t = trimmed(v);
  return t !== undefined && /^\d{1,9}$/.test(t) ? Number(t) : undefined;
}

function medicalTicketOf(ticket: Strings<MedicalTicketField>): MedicalTicketView {
  return {
    ticketType: trimmed(ticket.TicketType),
    validFrom: isoDateOf(ticket.MedicalTicketValidDate),
    validUntil: isoDateOf(ticket.MedicalTicketExpirationDate),
    treatmentMonth: monthOf(ticket.MedicalTreatmentMonth),
    issueNumber: trimmed(ticket.IssueNumber),
    designatedInstitutionCode: trimmed(ticket.DesignatedMedicalInstitutionCode),
    selfPayYen: yenOf(ticket.SelfPayAmount),
  };
}

function timeOf(v: string | undefined): string | undefined {
  const instant = japanTimestamp(v);
  return instant ? japanIso(instant) : undefined;
}

function consentsOf(result: OqsResult): ResultView['consents'] {
  const consents: ResultView['consents'] = {};
  for (const [item, prefixes] of Object.entries(CONSENT_FIELD_PREFIXES) as [ConsentItem, readonly string[]][]) {
    // The newer spelling wins when a file carries both.
    for (const prefix of [...prefixes].reverse()) {
      const field = (suffix: string) => result[`${prefix}${suffix}` as ResultField];
      const flag = trimmed(field('ConsFlg'));
      if (flag === undefined) continue;
      const view: ConsentView = { given: flag === '1' };
      const at = timeOf(field('ConsTime'));
      const until = timeOf(field('AcquisitionTime') ?? field('AvailableTime'));
      if (at) view.at = at;
      if (until) view.availableUntil = until;
      consents[item] = view;
      break;
    }
  }
  return consents;
}

export function viewOf(result: OqsResult): ResultView {
  const limit = result.LimitApplicationCertificateRelatedInfo;
  return {
    insurerNumber: trimmed(result.InsurerNumber),
    symbol: trimmed(result.InsuredCardSymbol),
    number: trimmed(result.InsuredIdentificationNumber),
    branch: trimmed(result.InsuredBranchNumber),
    birthDate: isoDateOf(result.Birthdate),
    birthDateProblem: birthDateProblem(result.Birthdate),
    sex: codeLabel('sex', result.Sex1),
    personalFamily: codeLabel('personalFamily', result.PersonalFamilyClassification),
    cardClassification: codeLabel('insuredCardClassification', result.InsuredCardClassification),
    qualificationDate: isoDateOf(result.QualificationDate),
    disqualificationDate: isoDateOf(result.DisqualificationDate),
    issuedOn: isoDateOf(result.InsuredCertificateIssuanceDate),
    validFrom: isoDateOf(result.InsuredCardValidDate),
    validUntil: isoDateOf(result.InsuredCardExpirationDate),
    copayPercent: percentOf(result.InsuredPartialContributionRatio) ?? percentOf(result.ElderlyRecipientCertificateInfo?.ElderlyRecipientContributionRatio),
    preschool: trimmed(result.PreschoolClassification) === '1',
    reasonOfLoss: codeLabel('reasonOfLoss', result.ReasonOfLoss),
    limitClassification: codeLabel('limitCertificateClassification', limit?.LimitApplicationCertificateClassification),
    limitCategory: codeLabel(
      'limitClassificationFlag',
      limit?.LimitApplicationCertificateClassificationFlag ?? limit?.LimitApplicationCertificateClassificationFla,
    ),
    specificDiseases: (result.SpecificDiseasesCertificateList?.SpecificDiseasesCertificateInfo ?? [])
      .map((info) => codeLabel('specificDisease', info.SpecificDiseasesDiseaseCategory))
      .filter((label): label is string => label !== undefined),
    medicalTickets: (result.PublicExpenseResultList?.MedicalTicketInfo ?? []).map(medicalTicketOf),
    consents: consentsOf(result),
  };
}
