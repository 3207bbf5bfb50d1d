import { plain } from '../i18n/index.ts';
import type { Catalogue } from '../i18n/types.ts';
import { T } from './Text.tsx';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export interface KeypadProps {
  t: Catalogue;
  label: string;
  onDigit: (digit: string) => void;
  onDelete: () => void;
  onClear: () => void;
}

/** A fixed-layout numeric keypad (never shuffled: the same place for the same digit helps everyone). */
export function Keypad({ t, label, onDigit, onDelete, onClear }: KeypadProps) {
  return (
    <div className="keypad" role="group" aria-label={label}>
      {DIGITS.map((digit) => (
        <button key={digit} type="button" className="keypad__key" data-key={digit} onClick={() => onDigit(digit)}>
          {digit}
        </button>
      ))}
      <button type="button" className="keypad__key keypad__key--word" onClick={onClear} aria-label={plain(t.pin.clear)}>
        <T text={t.pin.clear} />
      </button>
      <button type="button" className="keypad__key" data-key="0" onClick={() => onDigit('0')}>
        0
      </button>
      <button type="button" className="keypad__key keypad__key--word" onClick={onDelete} aria-label={plain(t.pin.delete)}>
        <span aria-hidden="true">⌫ </span>
        <T text={t.pin.delete} />
      </button>
    </div>
  );
}
