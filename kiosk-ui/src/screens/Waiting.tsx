import { Progress } from '../components/Progress.tsx';
import { ErrorNotice, Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import type { ScreenProps } from './types.ts';

/** Steps where the agent or a person is working: reading, verifying, eligibility, registering, visual check. */
export function WaitingScreen({ snapshot, t }: ScreenProps) {
  return (
    <Screen name={snapshot.step} text={t.steps[snapshot.step]}>
      <Progress progress={snapshot.progress} t={t} />
      <Notices notices={snapshot.notices} t={t} />
      <ErrorNotice error={snapshot.error} t={t} />
    </Screen>
  );
}
