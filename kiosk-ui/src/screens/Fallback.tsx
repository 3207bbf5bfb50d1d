import { useState } from 'react';
import type { DocumentId } from '@kiosk/protocol';
import { Button } from '../components/Button.tsx';
import { ClearingCountdown } from '../components/Countdown.tsx';
import { ErrorNotice, Notices } from '../components/Notices.tsx';
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

/** Long enough to read the guidance, short enough that the next patient does not wait for it. */
export const MANUAL_END_CLEAR_S = 30;

/**
 * The manual path: which documents the patient has, then one last screen that sends them to the desk
 * with what the documents mean. That screen clears itself; it never asks the question again.
 */
export function FallbackScreen({ snapshot, t, send, onClear }: ScreenProps & { onClear: () => void }) {
  const [chosen, setChosen] = useState<readonly DocumentId[]>([]);
  const fallback = snapshot.fallback;
  const decision = fallback?.decision;
  const toggle = (id: DocumentId) => setChosen(chosen.includes(id) ? chosen.filter((d) => d !== id) : [...chosen, id]);

  if (decision) {
    // With no document chosen there is no document to judge: only what to do next.
    const judged = (fallback?.documents.length ?? 0) > 0;
    return (
      <Screen name="fallback" text={t.fallback.end}>
        <div className={`decision decision--${judged ? decision.decision : 'none'}`} data-decision={decision.decision}>
          {judged && (
            <p className="decision__verdict">
              <span aria-hidden="true">{decision.decision === 'rejected' ? '✕ ' : decision.decision === 'accepted' ? '◯ ' : '△ '}</span>
              <T text={t.fallback.decisions[decision.decision]} />
            </p>
          )}
          <p className="decision__guidance" data-guidance={decision.patientGuidance}>
            <T text={t.guidance[decision.patientGuidance]} />
          </p>
        </div>
        <Notices notices={snapshot.notices} t={t} />
        <ClearingCountdown t={t} seconds={MANUAL_END_CLEAR_S} onClear={onClear} />
      </Screen>
    );
  }

  return (
    <Screen name="fallback" text={{ title: t.steps.fallback.title, body: t.fallbackReasons[fallback?.reason ?? 'no-reader'] }}>
      <ErrorNotice error={snapshot.error} t={t} />
      <p className="question">
        <T text={t.steps.fallback.body} />
      </p>
      {/* The answers take the free cell after the last document: the list stays on the panel in large text. */}
      <div className="documents">
        {PATIENT_DOCUMENTS.map((id) => (
          <Button key={id} pressed={chosen.includes(id)} action={`document-${id}`} onPress={() => toggle(id)}>
            <T text={t.fallback.documents[id]} />
          </Button>
        ))}
        <div className="documents__answer">
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
      </div>
    </Screen>
  );
}
