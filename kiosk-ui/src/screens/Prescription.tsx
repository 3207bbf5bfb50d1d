import { Button } from '../components/Button.tsx';
import { ErrorNotice } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { ScreenProps } from './types.ts';

export function PrescriptionScreen({ snapshot, t, send }: ScreenProps) {
  const choices = [
    { choice: 'electronic', label: t.prescription.electronic, hint: t.prescription.electronicHint },
    { choice: 'paper', label: t.prescription.paper, hint: t.prescription.paperHint },
  ] as const;
  return (
    <Screen name="prescription" text={t.steps.prescription}>
      <ErrorNotice error={snapshot.error} t={t} />
      <div className="actions actions--choices">
        {choices.map(({ choice, label, hint }) => (
          <Button
            command="prescription"
            key={choice}
            variant="primary"
            pressed={snapshot.prescription?.choice === choice}
            action={`prescription-${choice}`}
            onPress={() => send({ type: 'prescription', choice })}
          >
            <T text={label} />
            <small className="button__hint">
              <T text={hint} />
            </small>
          </Button>
        ))}
      </div>
    </Screen>
  );
}
