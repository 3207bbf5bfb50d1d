import { useEffect, useRef, useState } from 'react';
import type { FlowSnapshot } from '@kiosk/protocol';
import type { LinkStatus } from './connection/connection.ts';

export const IDLE_AFTER_MS = 90_000;
export const IDLE_COUNTDOWN_S = 30;

/**
 * Inactivity on an interactive screen: after IDLE_AFTER_MS a warning with a countdown of
 * IDLE_COUNTDOWN_S seconds, then onExpire. Any touch or key restarts the wait while no warning is up;
 * the warning itself is dismissed only by its own button (so a stray touch cannot hide the countdown).
 * `resetKey` restarts the wait whenever the screen changes.
 */
export function useIdle(active: boolean, resetKey: string, onExpire: () => void): { secondsLeft: number | null; keepGoing: () => void } {
  // The seconds left are derived from when the warning began, never stored beside it: a countdown tick
  // landing just after "continue" once left a stale number up and the dialog frozen on screen.
  const [warningSince, setWarningSince] = useState<number | null>(null);
  const [now, setNow] = useState(0);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    setWarningSince(null);
    if (!active) return;
    let timer = setTimeout(warn, IDLE_AFTER_MS);
    function warn() {
      const at = Date.now();
      setNow(at);
      setWarningSince(at);
    }
    const activity = () => {
      clearTimeout(timer);
      timer = setTimeout(warn, IDLE_AFTER_MS);
    };
    window.addEventListener('pointerdown', activity, true);
    window.addEventListener('keydown', activity, true);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointerdown', activity, true);
      window.removeEventListener('keydown', activity, true);
    };
  }, [active, resetKey, generation]);

  useEffect(() => {
    if (warningSince === null) return;
    const tick = setInterval(() => {
      const at = Date.now();
      if (at - warningSince >= IDLE_COUNTDOWN_S * 1000) {
        clearInterval(tick);
        setWarningSince(null);
        onExpire();
      } else setNow(at);
    }, 250);
    return () => clearInterval(tick);
  }, [warningSince, onExpire]);

  const secondsLeft = warningSince === null ? null : IDLE_COUNTDOWN_S - Math.floor((now - warningSince) / 1000);
  return { secondsLeft, keepGoing: () => setGeneration((g) => g + 1) };
}

/**
 * The screen whose inactivity counts: the agent's current screen, kept through a dropped link. A
 * patient who walked away is still away while the kiosk reconnects, so a link that comes back to the
 * same session and step must not restart the wait (a flaky link would otherwise keep personal data on
 * screen indefinitely).
 */
export function useIdleScreen(status: LinkStatus, snapshot: FlowSnapshot | null, interactiveSteps: ReadonlySet<string>): { active: boolean; key: string } {
  const last = useRef({ active: false, key: '' });
  if (snapshot) last.current = { active: interactiveSteps.has(snapshot.step), key: `${snapshot.sessionId}:${snapshot.step}` };
  else if (status === 'unreachable' || status === 'incompatible') last.current = { active: false, key: status };
  return last.current;
}
