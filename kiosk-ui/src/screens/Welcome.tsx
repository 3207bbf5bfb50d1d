import { Button } from '../components/Button.tsx';
import { ErrorNotice, Message, Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { ScreenProps } from './types.ts';

export function WelcomeScreen({ snapshot, t, send }: ScreenProps) {
  const readerDown = snapshot.reader.service === 'unavailable' || snapshot.reader.readers.length === 0;
  return (
    <Screen name="welcome" text={t.steps.welcome}>
      <div className="card-illustration" aria-hidden="true">
        <div className="card-illustration__reader" />
        <div className="card-illustration__card">▼</div>
      </div>
      {readerDown && <Message text={t.welcome.readerDown} />}
      <Notices notices={snapshot.notices} t={t} />
      <ErrorNotice error={snapshot.error} t={t} />
      <div className="actions">
        <Button command="start" variant="primary" action="start" onPress={() => send({ type: 'start' })}>
          <T text={t.welcome.start} />
        </Button>
        <Button command="manual-path" action="manual-path" onPress={() => send({ type: 'manual-path' })}>
          <T text={t.welcome.noCard} />
        </Button>
      </div>
    </Screen>
  );
}
