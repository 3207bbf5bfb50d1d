import { Button, ContinueButton } from '../components/Button.tsx';
import { ErrorNotice, Message, Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import { PatientDetails } from './PatientDetails.tsx';
import type { ScreenProps } from './types.ts';

export function ResultScreen({ snapshot, t, send }: ScreenProps) {
  const outcome = snapshot.eligibility?.outcome ?? 'valid';
  return (
    <Screen name="result" text={t.steps.result}>
      <Message text={t.eligibility[outcome]} />
      <PatientDetails patient={snapshot.patient} t={t} />
      <Notices notices={snapshot.notices} t={t} />
      <ErrorNotice error={snapshot.error} t={t} />
      <div className="actions actions--choices">
        <ContinueButton t={t} send={send} />
        <Button command="call-staff" action="not-me" onPress={() => send({ type: 'call-staff' })}>
          <T text={t.result.notMe} />
        </Button>
      </div>
    </Screen>
  );
}
