import { useState } from 'react';
import type { DocumentId } from '@kiosk/protocol';
import { Button, ContinueButton } from '../components/Button.tsx';
import { ErrorNotice, Message, Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { ScreenProps } from './types.ts';

/** Documents a patient can bring; the staff-side ones (mobile app, self-declaration) are not asked for. */
export const PATIENT_DOCUMENTS: readonly DocumentId[] = [
  'myna_card',
  'shikaku_kakuninsho',
  'shikaku_joho_oshirase',
  'smartphone_myna',
  'mynaportal_screen',
  'old_hokensho',
  'medical_ticket',
];

export function FallbackScreen({ snapshot, t, send }: ScreenProps) {
  const [chosen, setChosen] = useState<readonly DocumentId[]>([]);
  const fallback = snapshot.fallback;
  const decision = fallback?.decision;
  const toggle = (id: DocumentId) => setChosen(chosen.includes(id) ? chosen.filter((d) => d !== id) : [...chosen, id]);

  if (decision) {
    return (
      <Screen name="fallback" text={t.steps.fallback}>
        <div className={`decision decision--${decision.decision}`} data-decision={decision.decision}>
          <p className="decision__verdict">
            <span aria-hidden="true">{decision.decision === 'rejected' ? '✕ ' : decision.decision === 'accepted' ? '◯ ' : '△ '}</span>
            <T text={t.fallback.decisions[decision.decision]} />
          </p>
          <p className="decision__guidance" data-guidance={decision.patientGuidance}>
            <T text={t.guidance[decision.patientGuidance]} />
          </p>
        </div>
        <Notices notices={snapshot.notices} t={t} />
        <div className="actions">
          <ContinueButton t={t} send={send} />
        </div>
      </Screen>
    );
  }

  return (
    <Screen name="fallback" text={t.steps.fallback}>
      {fallback && <Message text={t.fallbackReasons[fallback.reason]} />}
      <ErrorNotice error={snapshot.error} t={t} />
      <p className="question">
        <T text={t.fallback.question} />
      </p>
      <div className="documents">
        {PATIENT_DOCUMENTS.map((id) => (
          <Button key={id} pressed={chosen.includes(id)} action={`document-${id}`} onPress={() => toggle(id)}>
            <T text={t.fallback.documents[id]} />
          </Button>
        ))}
      </div>
      <div className="actions actions--choices">
        <Button
          command="fallback-documents"
          variant="primary"
          action="documents-submit"
          disabled={chosen.length === 0}
          onPress={() => send({ type: 'fallback-documents', documents: [...chosen] })}
        >
          <T text={t.fallback.submit} />
        </Button>
        <Button command="fallback-documents" action="documents-none" onPress={() => send({ type: 'fallback-documents', documents: [] })}>
          <T text={t.fallback.none} />
        </Button>
      </div>
    </Screen>
  );
}
