import { ErrorNotice, Message, Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import type { ScreenProps } from './types.ts';

export function StaffScreen({ snapshot, t }: ScreenProps) {
  return (
    <Screen name="staff" text={t.steps.staff}>
      {snapshot.staff && <Message text={t.staffReasons[snapshot.staff.reason]} />}
      <Notices notices={snapshot.notices} t={t} />
      <ErrorNotice error={snapshot.error} t={t} />
    </Screen>
  );
}

export function ErrorScreen({ snapshot, t }: ScreenProps) {
  return (
    <Screen name="error" text={t.steps.error}>
      <ErrorNotice error={snapshot.error ?? { code: 'INTERNAL', message: '', retriable: false }} t={t} />
      <Notices notices={snapshot.notices} t={t} />
    </Screen>
  );
}
