import { useEffect, useState, type ReactNode } from 'react';
import { plain } from '../i18n/index.ts';
import type { Catalogue } from '../i18n/types.ts';
import { Button } from './Button.tsx';
import { Keypad } from './Keypad.tsx';
import { T } from './Text.tsx';

const PIN_LENGTH = 4;

/**
 * PIN entry (with `children` under the entry column): digits are shown as dots only, never spoken, and forgotten the moment they are submitted
 * (the state is cleared before the PIN leaves this component).
 */
export function PinPad({ t, onSubmit, children }: { t: Catalogue; onSubmit: (pin: string) => void; children?: ReactNode }) {
  const [digits, setDigits] = useState('');
  const add = (digit: string) => setDigits((current) => (current.length < PIN_LENGTH ? current + digit : current));
  const remove = () => setDigits((current) => current.slice(0, -1));
  const submit = () => {
    if (digits.length !== PIN_LENGTH) return;
    const pin = digits;
    setDigits('');
    onSubmit(pin);
  };

  // A hardware keypad (if fitted) works too.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (/^[0-9]$/.test(event.key)) add(event.key);
      else if (event.key === 'Backspace') remove();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="pinpad">
      <div className="pinpad__entry">
        <div className="pinpad__dots" role="img" aria-label={plain(t.pin.entered(digits.length))} data-testid="pin-dots">
          {Array.from({ length: PIN_LENGTH }, (_, index) => (
            <span key={index} className={index < digits.length ? 'pinpad__dot pinpad__dot--filled' : 'pinpad__dot'} aria-hidden="true">
              {index < digits.length ? '●' : ''}
            </span>
          ))}
        </div>
        <p className="pinpad__count" aria-hidden="true">
          <T text={t.pin.entered(digits.length)} />
        </p>
        <Button variant="primary" action="pin-submit" onPress={submit} disabled={digits.length !== PIN_LENGTH} className="pinpad__submit">
          <T text={t.pin.submit} />
        </Button>
        {/* Other ways out (forgot the PIN), under the entry and apart from 決定. */}
        {children && <div className="pinpad__other">{children}</div>}
      </div>
      <Keypad t={t} label={plain(t.pin.keypad)} onDigit={add} onDelete={remove} onClear={() => setDigits('')} />
    </div>
  );
}
