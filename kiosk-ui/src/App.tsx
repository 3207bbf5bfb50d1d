import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { FlowCommand } from '@kiosk/protocol';
import type { KioskConnection } from './connection/connection.ts';
import { BottomBar, TopBar, type DisplayPrefs } from './components/Bars.tsx';
import { AcceptedCommands } from './components/Button.tsx';
import { IdleDialog } from './components/IdleDialog.tsx';
import { CATALOGUES, htmlLang } from './i18n/index.ts';
import { guidanceFor, INTERACTIVE_STEPS, StepScreen } from './screens/index.tsx';
import { ReconnectingScreen, UnreachableScreen } from './screens/Link.tsx';
import { useIdle, useIdleScreen } from './useIdle.ts';
import { silence, speak } from './voice.ts';

type EndReason = Extract<FlowCommand, { type: 'reset' }>['reason'];

/**
 * The patient screen. Renders only the agent's latest snapshot (or the manual path when the agent does
 * not answer); keeps no patient data of its own. Display preferences live in memory only.
 */
export function App({ connection }: { connection: KioskConnection }) {
  const state = useSyncExternalStore(connection.subscribe, connection.getState);
  const [prefs, setPrefs] = useState<DisplayPrefs>({ highContrast: false, largeText: false, voice: false });
  const t = CATALOGUES[state.language];
  const snapshot = state.status === 'online' ? state.snapshot : null;

  const send = useCallback((command: FlowCommand) => void connection.send(command), [connection]);
  const endSession = useCallback(
    (reason: EndReason) => {
      // Sent before the screen forgets the session, so the reset names the session it ends.
      void connection.send({ type: 'reset', reason });
      connection.clearSession();
    },
    [connection],
  );
  const onIdle = useCallback(() => endSession('idle'), [endSession]);
  const onCompleted = useCallback(() => endSession('completed'), [endSession]);

  const idleScreen = useIdleScreen(state.status, snapshot, INTERACTIVE_STEPS);
  const idle = useIdle(idleScreen.active, idleScreen.key, onIdle);

  useEffect(() => {
    const root = document.documentElement;
    root.lang = htmlLang(state.language);
    root.dataset.contrast = prefs.highContrast ? 'high' : 'normal';
    root.dataset.textSize = prefs.largeText ? 'large' : 'normal';
    root.dataset.language = state.language;
  }, [state.language, prefs]);

  // Voice guidance and focus follow the screen, not every snapshot.
  const screenKey = snapshot ? `${snapshot.step}|${snapshot.error?.code ?? ''}|${snapshot.fallback?.decision?.patientGuidance ?? ''}` : state.status;
  const main = useRef<HTMLElement>(null);
  // Every step starts at its top: a position scrolled on the last screen would hide this one's title.
  useLayoutEffect(() => {
    if (main.current) main.current.scrollTop = 0;
    if (document.scrollingElement) document.scrollingElement.scrollTop = 0;
  }, [screenKey]);
  useEffect(() => {
    main.current?.querySelector<HTMLElement>('#screen-title')?.focus({ preventScroll: true });
  }, [screenKey]);
  useEffect(() => {
    if (!prefs.voice) return silence();
    const texts = snapshot
      ? guidanceFor(snapshot, t)
      : state.status === 'reconnecting' || state.status === 'connecting'
        ? [t.connection.reconnecting.title]
        : [t.connection.unreachable.title, t.connection.unreachable.body];
    speak(texts, state.language);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- speak once per screen and language
  }, [screenKey, state.language, prefs.voice]);
  useEffect(() => {
    if (prefs.voice && idle.secondsLeft !== null) speak([t.idle.title], state.language);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once when the warning appears
  }, [idle.secondsLeft !== null]);

  let content;
  if (state.status === 'unreachable' || state.status === 'incompatible') content = <UnreachableScreen t={t} incompatible={state.status === 'incompatible'} />;
  else if (!snapshot) content = <ReconnectingScreen t={t} />;
  else content = <StepScreen key={`${snapshot.sessionId}:${snapshot.step}`} snapshot={snapshot} t={t} send={send} onCompletedClear={onCompleted} />;

  const inSession = snapshot !== null && (snapshot.sessionId !== null || snapshot.step !== 'welcome');
  return (
    <div className="kiosk">
      <TopBar t={t} language={state.language} onLanguage={(language) => connection.setLanguage(language)} prefs={prefs} onPrefs={setPrefs} />
      <AcceptedCommands.Provider value={snapshot?.can ?? null}>
        {/* Focusable so a keyboard could scroll a screen taller than the panel (the browser suite checks none is). */}
        <main className="kiosk__main" ref={main} tabIndex={0} data-seq={snapshot?.seq ?? -1} data-status={state.status}>
          {content}
        </main>
        <BottomBar
          t={t}
          demo={snapshot?.demo === true}
          onStartOver={inSession ? () => endSession('patient') : null}
          onCallStaff={() => send({ type: 'call-staff' })}
        />
      </AcceptedCommands.Provider>
      {idle.secondsLeft !== null && <IdleDialog t={t} secondsLeft={idle.secondsLeft} onKeepGoing={idle.keepGoing} onFinish={onIdle} />}
    </div>
  );
}
