import { useEffect, useRef } from 'react';
import type { Catalogue } from '../i18n/types.ts';
import { Button } from './Button.tsx';
import { T } from './Text.tsx';

/** Full-screen "do you want to continue?" with the seconds left. */
export function IdleDialog({ t, secondsLeft, onKeepGoing, onFinish }: { t: Catalogue; secondsLeft: number; onKeepGoing: () => void; onFinish: () => void }) {
  const keepGoing = useRef<HTMLDivElement>(null);
  useEffect(() => keepGoing.current?.querySelector('button')?.focus(), []);
  return (
    <div className="idle" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-countdown" data-screen="idle">
      <h2 id="idle-title" className="idle__title">
        <T text={t.idle.title} />
      </h2>
      <p id="idle-countdown" className="idle__countdown" data-testid="idle-countdown">
        <T text={t.idle.countdown(secondsLeft)} />
      </p>
      <div className="actions actions--choices" ref={keepGoing}>
        <Button variant="primary" action="idle-continue" onPress={onKeepGoing}>
          <T text={t.idle.keepGoing} />
        </Button>
        <Button action="idle-finish" onPress={onFinish}>
          <T text={t.idle.finish} />
        </Button>
      </div>
    </div>
  );
}
