import { useEffect, useState } from 'react';
import { Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { ScreenProps } from './types.ts';

export const COMPLETED_CLEAR_S = 10;

/** The queue number, then the screen clears itself after COMPLETED_CLEAR_S seconds. */
export function CompletedScreen({ snapshot, t, onClear }: ScreenProps & { onClear: () => void }) {
  const [left, setLeft] = useState(COMPLETED_CLEAR_S);
  useEffect(() => {
    const since = Date.now();
    const tick = setInterval(() => {
      const remaining = COMPLETED_CLEAR_S - Math.floor((Date.now() - since) / 1000);
      if (remaining <= 0) {
        clearInterval(tick);
        onClear();
      } else setLeft(remaining);
    }, 250);
    return () => clearInterval(tick);
  }, [onClear]);
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
      <p className="countdown">
        <T text={t.completed.clearing(left)} />
      </p>
    </Screen>
  );
}
