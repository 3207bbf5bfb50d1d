import { createContext, useContext, type ReactNode } from 'react';
import type { FlowCommandType } from '@kiosk/protocol';
import type { ScreenProps } from '../screens/types.ts';
import { T } from './Text.tsx';

/** The command types the agent accepts now (the snapshot's `can`); null when no snapshot is shown. */
export const AcceptedCommands = createContext<readonly FlowCommandType[] | null>(null);

export interface ButtonProps {
  onPress: () => void;
  children: ReactNode;
  /** primary: the expected next action; secondary: the alternatives; quiet: bars and keypads. */
  variant?: 'primary' | 'secondary' | 'quiet';
  /** For toggles: shown as a check mark and announced, never by colour alone. */
  pressed?: boolean;
  disabled?: boolean;
  label?: string;
  className?: string;
  /** Stable hook for end-to-end tests, independent of language. */
  action?: string;
  /** The flow command this button sends: it is shown only while the agent accepts that command. */
  command?: FlowCommandType;
}

export function Button({ onPress, children, variant = 'secondary', pressed, disabled, label, className, action, command }: ButtonProps) {
  const accepted = useContext(AcceptedCommands);
  if (command && accepted && !accepted.includes(command)) return null;
  return (
    <button
      type="button"
      className={['button', `button--${variant}`, className].filter(Boolean).join(' ')}
      onClick={onPress}
      disabled={disabled}
      aria-pressed={pressed}
      aria-label={label}
      data-action={action}
      data-command={command}
    >
      {pressed !== undefined && (
        <span className="button__mark" aria-hidden="true">
          {pressed ? '✓' : ''}
        </span>
      )}
      <span className="button__label">{children}</span>
    </button>
  );
}

/** The screen's "next" step when the patient only has to acknowledge what is shown. */
export function ContinueButton({ t, send }: Pick<ScreenProps, 't' | 'send'>) {
  return (
    <Button command="continue" variant="primary" action="continue" onPress={() => send({ type: 'continue' })}>
      <T text={t.common.continue} />
    </Button>
  );
}
