import { useState } from 'react';
import { Button } from '../components/Button.tsx';
import { Keypad } from '../components/Keypad.tsx';
import { ErrorNotice, Message } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import { plain } from '../i18n/index.ts';
import { PatientDetails } from './PatientDetails.tsx';
import type { ScreenProps } from './types.ts';

/** The keypad has digits only: a Japanese number is 10 digits (fixed line) or 11 (mobile). */
const PHONE = /^[0-9]{10,11}$/;
const PHONE_MAX = 11;

export function NewPatientScreen({ snapshot, t, send }: ScreenProps) {
  const [phone, setPhone] = useState('');
  const phoneValid = phone === '' || PHONE.test(phone);
  const phoneEntry = (
    <div className="phone">
      <p className="phone__label" id="phone-label">
        <T text={t.newPatient.phone} />
      </p>
      <output className="phone__value" aria-labelledby="phone-label" data-testid="phone">
        {phone || '\u00a0'}
      </output>
      {!phoneValid && <Message text={t.newPatient.phoneInvalid} />}
      <Keypad
        t={t}
        label={plain(t.newPatient.phone)}
        onDigit={(digit) => setPhone((current) => (current.length < PHONE_MAX ? current + digit : current))}
        onDelete={() => setPhone((current) => current.slice(0, -1))}
        onClear={() => setPhone('')}
      />
    </div>
  );
  return (
    <Screen name="new-patient" text={t.steps['new-patient']} aside={phoneEntry}>
      <PatientDetails patient={snapshot.patient} t={t} />
      <ErrorNotice error={snapshot.error} t={t} />
      <div className="actions actions--choices">
        <Button
          command="new-patient"
          variant="primary"
          action="details-correct"
          disabled={!phoneValid}
          onPress={() => send({ type: 'new-patient', confirmed: true, ...(phone ? { phone } : {}) })}
        >
          <T text={t.newPatient.correct} />
        </Button>
        <Button command="new-patient" action="details-wrong" onPress={() => send({ type: 'new-patient', confirmed: false })}>
          <T text={t.newPatient.wrong} />
        </Button>
      </div>
    </Screen>
  );
}
