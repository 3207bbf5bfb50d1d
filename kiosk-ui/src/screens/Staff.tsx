import { ErrorNotice, Message, Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import type { ScreenProps } from './types.ts';

/**
 * Staff are coming: the reason says what happened and what staff will do. The error that led here is
 * not shown beside it: its sentences are the reason's again (PIN locked: "暗証番号がロックされています" twice).
 */
export function StaffScreen({ snapshot, t }: ScreenProps) {
  return (
    <Screen name="staff" text={t.steps.staff}>
      {snapshot.staff && (
        <div data-staff-reason={snapshot.staff.reason}>
          <Message text={t.staffReasons[snapshot.staff.reason]} />
        </div>
      )}
      <Notices notices={snapshot.notices} t={t} />
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
