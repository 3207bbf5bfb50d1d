import { Button } from '../components/Button.tsx';
import { ErrorNotice } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { ScreenProps } from './types.ts';

export function RegistrationOfferScreen({ snapshot, t, send }: ScreenProps) {
  return (
    <Screen name="registration-offer" text={t.steps['registration-offer']}>
      <ul className="points">
        {t.registration.points.map((point) => (
          <li key={point}>
            <T text={point} />
          </li>
        ))}
      </ul>
      <ErrorNotice error={snapshot.error} t={t} />
      <div className="actions actions--choices">
        <Button command="registration" variant="primary" action="register" onPress={() => send({ type: 'registration', agree: true })}>
          <T text={t.registration.agree} />
        </Button>
        <Button command="registration" action="decline-registration" onPress={() => send({ type: 'registration', agree: false })}>
          <T text={t.registration.decline} />
        </Button>
      </div>
    </Screen>
  );
}
