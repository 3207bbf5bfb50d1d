import type { FlowSnapshot } from '@kiosk/protocol';
import type { Catalogue } from '../i18n/types.ts';
import { T } from '../components/Text.tsx';

/**
 * The only personal data on the patient screen: the name as masked by the agent, the birth date reduced
 * to the first two digits of the year, and the copay ratio. Insurance numbers are never sent or shown.
 */
export function PatientDetails({ patient, t }: { patient: FlowSnapshot['patient']; t: Catalogue }) {
  if (!patient) return null;
  return (
    <dl className="details">
      <div>
        <dt>
          <T text={t.result.name} />
        </dt>
        <dd data-testid="masked-name">{patient.maskedName}</dd>
      </div>
      <div>
        <dt>
          <T text={t.result.birth} />
        </dt>
        <dd data-testid="masked-birth">
          <T text={t.result.birthMasked(patient.birthYearPrefix)} />
        </dd>
      </div>
      {patient.copayPercent !== undefined && (
        <div>
          <dt>
            <T text={t.result.copay} />
          </dt>
          <dd>
            <T text={t.result.copayValue(patient.copayPercent)} />
          </dd>
        </div>
      )}
    </dl>
  );
}
