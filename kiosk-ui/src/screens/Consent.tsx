import { useState } from 'react';
import { CONSENT_ITEMS, type ConsentItem } from '@kiosk/protocol';
import { Button, ContinueButton } from '../components/Button.tsx';
import { ErrorNotice, Notices } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { ScreenProps } from './types.ts';

/** The protocol wants every item answered: items not offered, or not agreed to, are "no". */
function answersFor(offered: readonly ConsentItem[], answers: Partial<Record<ConsentItem, boolean>>): Record<ConsentItem, boolean> {
  return Object.fromEntries(CONSENT_ITEMS.map((item) => [item, offered.includes(item) && answers[item] === true])) as Record<ConsentItem, boolean>;
}

export function ConsentScreen({ snapshot, t, send }: ScreenProps) {
  const offered = snapshot.consent?.offered ?? [];
  const [choosing, setChoosing] = useState(false);
  const [answers, setAnswers] = useState<Partial<Record<ConsentItem, boolean>>>(() => ({ ...snapshot.consent?.given }));

  if (offered.length === 0) {
    return (
      <Screen name="consent" text={t.steps.consent}>
        <Notices notices={snapshot.notices.includes('sharing-not-offered') ? snapshot.notices : [...snapshot.notices, 'sharing-not-offered']} t={t} />
        <div className="actions">
          <ContinueButton t={t} send={send} />
        </div>
      </Screen>
    );
  }

  return (
    <Screen name="consent" text={t.steps.consent}>
      <Notices notices={snapshot.notices} t={t} />
      <ErrorNotice error={snapshot.error} t={t} />
      {choosing ? (
        <>
          <ul className="consent-items">
            {offered.map((item) => (
              <li key={item} className="consent-item">
                <span className="consent-item__name">
                  <T text={t.consent.items[item]} />
                </span>
                <Button pressed={answers[item] === true} onPress={() => setAnswers({ ...answers, [item]: true })}>
                  <T text={t.consent.agree} />
                </Button>
                <Button pressed={answers[item] === false} onPress={() => setAnswers({ ...answers, [item]: false })}>
                  <T text={t.consent.disagree} />
                </Button>
              </li>
            ))}
          </ul>
          <div className="actions">
            <Button
              command="consent"
              variant="primary"
              disabled={offered.some((item) => answers[item] === undefined)}
              action="consent-submit"
              onPress={() => send({ type: 'consent', items: answersFor(offered, answers) })}
            >
              <T text={t.consent.submit} />
            </Button>
          </div>
        </>
      ) : (
        <>
          <ul className="points">
            {offered.map((item) => (
              <li key={item}>
                <T text={t.consent.items[item]} />
              </li>
            ))}
          </ul>
          <div className="actions actions--choices">
            <Button command="consent" variant="primary" action="consent-all" onPress={() => send({ type: 'consent', all: true })}>
              <T text={t.consent.all} />
            </Button>
            <Button action="consent-each" onPress={() => setChoosing(true)}>
              <T text={t.consent.chooseEach} />
            </Button>
            <Button command="consent" action="consent-none" onPress={() => send({ type: 'consent', all: false })}>
              <T text={t.consent.none} />
            </Button>
          </div>
        </>
      )}
    </Screen>
  );
}
