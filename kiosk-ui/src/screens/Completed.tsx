import { ClearingCountdown } from '../components/Countdown.tsx';
import { Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { ScreenProps } from './types.ts';

export const COMPLETED_CLEAR_S = 10;

/** The queue number, then the screen clears itself after COMPLETED_CLEAR_S seconds. */
export function CompletedScreen({ snapshot, t, onClear }: ScreenProps & { onClear: () => void }) {
  return (
    <Screen name="completed" text={t.steps.completed}>
      {snapshot.queueNumber !== undefined && (
        <div className="queue">
          <p className="queue__label" id="queue-label">
            <T text={t.completed.queueNumber} />
          </p>
          <p className="queue__number" aria-labelledby="queue-label" data-testid="queue-number">
            {snapshot.queueNumber}
          </p>
        </div>
      )}
      <Notices notices={snapshot.notices} t={t} />
      <ClearingCountdown t={t} seconds={COMPLETED_CLEAR_S} onClear={onClear} />
    </Screen>
  );
}
