import type { ConsentItem } from '@kiosk/protocol';
import type { EligibilityResult, InsuredPerson } from '../../flow/ports.ts';
import type { OqsResult } from './fields.ts';
import type { ParsedOqsFile } from './parse.ts';
import { viewOf } from './views.ts';

function personOf(result: OqsResult): InsuredPerson {
  const view = viewOf(result);
  const person: InsuredPerson = {
    name: result.Name ?? '',
    // A cut or impossible birth date is never passed on as one (the screen shows its year's first digits).
    birthDate: view.birthDate ? (result.Birthdate ?? '') : '',
    insurerNumber: result.InsurerNumber ?? '',
    number: result.InsuredIdentificationNumber ?? '',
  };
  const optional: Partial<InsuredPerson> = {
    nameKana: result.NameKana,
    sex: result.Sex1,
    symbol: result.InsuredCardSymbol,
    branch: result.InsuredBranchNumber,
    insurerName: result.InsurerName,
    copayPercent: view.copayPercent,
    referenceNumber: result.ReferenceNumber,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(person, { [key]: value });
  return person;
}

const PRESCRIPTION: Record<string, EligibilityResult['prescription']> = { '1': 'electronic', '2': 'paper' };

/** A parsed 資格確認結果 → the driver-independent eligibility result the flow consumes. */
export function toEligibilityResult(parsed: ParsedOqsFile, source: EligibilityResult['source'] = 'face'): EligibilityResult {
  const result: EligibilityResult = { outcome: parsed.outcome, source, people: parsed.results.map(personOf) };
  const message = parsed.body.ProcessingResultMessage?.trim() || parsed.header.ErrorMessage?.trim();
  if (message) result.message = message;
  const first = parsed.results[0];
  if (first) {
    const consents = Object.fromEntries(Object.entries(viewOf(first).consents).map(([item, view]) => [item, view.given])) as Partial<
      Record<ConsentItem, boolean>
    >;
    if (Object.keys(consents).length > 0) result.consents = consents;
  }
  const prescription = PRESCRIPTION[parsed.body.PrescriptionIssueSelect?.trim() ?? ''];
  if (prescription) result.prescription = prescription;
  return result;
}
