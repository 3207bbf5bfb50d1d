import { useEffect, useState } from 'react';
import type { Catalogue } from '../i18n/types.ts';
import { T } from './Text.tsx';

/** A last screen's "this screen clears in N seconds", then onClear: the patient has nothing left to press. */
export function ClearingCountdown({ t, seconds, onClear }: { t: Catalogue; seconds: number; onClear: () => void }) {
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const since = Date.now();
    const tick = setInterval(() => {
      const remaining = seconds - Math.floor((Date.now() - since) / 1000);
      if (remaining <= 0) {
        clearInterval(tick);
        onClear();
      } else setLeft(remaining);
    }, 250);
    return () => clearInterval(tick);
  }, [seconds, onClear]);
  return (
    <p className="countdown">
      <T text={t.completed.clearing(left)} />
    </p>
  );
}
