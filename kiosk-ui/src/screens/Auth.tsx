import { Button } from '../components/Button.tsx';
import { ErrorNotice, Message, Notices } from '../components/Notices.tsx';
import { PinPad } from '../components/PinPad.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { ScreenProps } from './types.ts';

function TriesLeft({ snapshot, t }: Pick<ScreenProps, 'snapshot' | 't'>) {
  const left = snapshot.auth?.pinTriesLeft;
  return left === undefined ? null : <Message text={t.auth.triesLeft(left)} />;
}

export function ChooseAuthScreen({ snapshot, t, send }: ScreenProps) {
  const methods = snapshot.auth?.methods ?? ['face', 'pin', 'staff'];
  return (
    <Screen name="choose-auth" text={t.steps['choose-auth']}>
      {snapshot.auth?.purpose === 'registration' && <Message text={t.auth.registrationPurpose} />}
      <Notices notices={snapshot.notices} t={t} />
      <ErrorNotice error={snapshot.error} t={t} />
      <div className="actions actions--choices">
        {methods.includes('face') && (
          <Button command="choose-auth" variant="primary" action="auth-face" onPress={() => send({ type: 'choose-auth', method: 'face' })}>
            <span aria-hidden="true">☺ </span>
            <T text={t.auth.face} />
          </Button>
        )}
        {methods.includes('pin') && (
          <Button command="choose-auth" variant="primary" action="auth-pin" onPress={() => send({ type: 'choose-auth', method: 'pin' })}>
            <span aria-hidden="true">＃ </span>
            <T text={t.auth.pin} />
          </Button>
        )}
        {methods.includes('staff') && (
          <Button command="choose-auth" action="auth-visual" onPress={() => send({ type: 'choose-auth', method: 'visual' })}>
            <T text={t.auth.staff} />
          </Button>
        )}
      </div>
      <TriesLeft snapshot={snapshot} t={t} />
    </Screen>
  );
}

export function FaceScreen({ snapshot, t, send }: ScreenProps) {
  const canUsePin = snapshot.auth?.methods.includes('pin') ?? snapshot.card?.hasPin ?? false;
  return (
    <Screen name="face" text={t.steps.face}>
      <div className="face-illustration" aria-hidden="true">
        ◉
      </div>
      <ErrorNotice error={snapshot.error} t={t} />
      <div className="actions">
        {canUsePin && (
          <Button command="choose-auth" action="switch-to-pin" onPress={() => send({ type: 'choose-auth', method: 'pin' })}>
            <T text={t.auth.switchToPin} />
          </Button>
        )}
      </div>
    </Screen>
  );
}

export function PinScreen({ snapshot, t, send }: ScreenProps) {
  const keypad = (
    <PinPad t={t} onSubmit={(pin) => send({ type: 'submit-pin', pin })}>
      <Button command="call-staff" action="forgot-pin" onPress={() => send({ type: 'call-staff' })}>
        <T text={t.auth.forgotPin} />
      </Button>
    </PinPad>
  );
  return (
    <Screen name="pin" text={t.steps.pin} aside={keypad}>
      <ErrorNotice error={snapshot.error} t={t} />
      <TriesLeft snapshot={snapshot} t={t} />
    </Screen>
  );
}

export function LastTryScreen({ snapshot, t, send }: ScreenProps) {
  return (
    <Screen name="pin-confirm-last-try" text={t.steps['pin-confirm-last-try']}>
      <ErrorNotice error={snapshot.error} t={t} />
      <div className="actions actions--choices">
        <Button command="confirm-last-try" variant="primary" action="last-try-ask" onPress={() => send({ type: 'confirm-last-try', confirm: false })}>
          <T text={t.lastTry.ask} />
        </Button>
        <Button command="confirm-last-try" action="last-try-use" onPress={() => send({ type: 'confirm-last-try', confirm: true })}>
          <T text={t.lastTry.use} />
        </Button>
      </div>
    </Screen>
  );
}
