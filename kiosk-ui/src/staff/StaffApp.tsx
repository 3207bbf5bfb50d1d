import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import {
  agentError,
  ALERT_KIND_WORDING,
  REVIEW_KIND_WORDING,
  rulesEditionAgeDays,
  rulesEditionStale,
  StaffActionReplySchema,
  StaffBoardSchema,
  type AgentError,
  type Alert,
  type AlertAction,
  type DocumentId,
  type QueueEntry,
  type ReviewAlert,
  type RulesInfo,
  type StaffActionReply,
  type StaffActionType,
  type StaffBoard,
  type StaffClientToServerEvents,
  type StaffServerToClientEvents,
} from '@kiosk/protocol';
import { byUrgency } from './alerts.ts';
import { AlertCard, ReviewCard } from './Alerts.tsx';
import { createApi } from './api.ts';
import { createChime, type Chime } from './chime.ts';
import { DeskEntry, type DeskStart, type DeskTarget } from './DeskEntry.tsx';
import { shortRef, StaffLanguageContext, useStaffText } from './language.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { preferences } from './preferences.ts';
import { QueueTable } from './Queue.tsx';
import { SignIn } from './SignIn.tsx';
import { errorWords, STAFF_TEXT, type StaffLanguage } from './text.ts';
import { japanDay, japanTime } from './time.ts';

type StaffSocket = Socket<StaffServerToClientEvents, StaffClientToServerEvents>;

/** How long a new alert stays highlighted. */
const FRESH_MS = 20_000;
const ACTION_TIMEOUT_MS = 10_000;

/** The console: sign-in, then the board the agent pushes on "/staff". */
export function StaffApp({ chime: givenChime }: { chime?: Chime } = {}) {
  const [language, setLanguageState] = useState<StaffLanguage>(() => preferences.language());
  const [csrf, setCsrf] = useState<string>();
  const [user, setUser] = useState<string>();
  const [checked, setChecked] = useState(false);
  const [notice, setNotice] = useState<string>();
  const csrfRef = useRef<string | undefined>(undefined);
  csrfRef.current = csrf;
  const api = useMemo(() => createApi(() => csrfRef.current), []);

  const setLanguage = useCallback((next: StaffLanguage) => {
    preferences.setLanguage(next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  useEffect(() => {
    void api.session().then((reply) => {
      if (reply.ok) {
        setCsrf(reply.data.csrfToken);
        setUser(reply.data.username);
      }
      setChecked(true);
    });
  }, [api]);

  // Made before sign-in, so the sign-in click is the gesture that lets the browser play it later.
  const chime = useMemo(() => givenChime ?? createChime(), [givenChime]);
  useEffect(() => () => chime.close(), [chime]);

  const signedOut = useCallback((why?: string) => {
    setCsrf(undefined);
    setUser(undefined);
    setNotice(why);
  }, []);

  return (
    <StaffLanguageContext.Provider value={language}>
      {!checked ? null : csrf && user ? (
        <Console
          api={api}
          csrf={csrf}
          user={user}
          chime={chime}
          onLanguage={setLanguage}
          onSignedOut={(expired) => signedOut(expired ? STAFF_TEXT[language].signIn.expired : undefined)}
        />
      ) : (
        <SignIn
          api={api}
          {...(notice ? { notice } : {})}
          onLanguage={setLanguage}
          onSignedIn={(username, token) => {
            setNotice(undefined);
            setUser(username);
            setCsrf(token);
          }}
        />
      )}
    </StaffLanguageContext.Provider>
  );
}

/** What the desk entry already knows when an alert opens it. */
function deskStartFor(alert: Alert, entry: QueueEntry | undefined): DeskStart {
  // Identity is proven by the card; the insurance comes from the 資格情報のお知らせ and a 一件照会.
  const documents: readonly DocumentId[] | undefined = alert.kind === 'insurance-pending' ? ['myna_card', 'shikaku_joho_oshirase'] : entry?.documents;
  return { ...(alert.sessionId ? { sessionId: alert.sessionId } : {}), ...(documents ? { documents } : {}), lookup: alert.kind === 'insurance-pending' };
}

function Console({
  api,
  csrf,
  user,
  chime,
  onLanguage,
  onSignedOut,
}: {
  api: ReturnType<typeof createApi>;
  csrf: string;
  user: string;
  chime: Chime;
  onLanguage: (language: StaffLanguage) => void;
  onSignedOut: (expired: boolean) => void;
}) {
  const { language, t, w } = useStaffText();
  const [board, setBoard] = useState<StaffBoard>();
  const [unreadable, setUnreadable] = useState(false);
  const [connected, setConnected] = useState(false);
  const [soundOn, setSoundOn] = useState(() => preferences.soundOn());
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [announcement, setAnnouncement] = useState('');
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const [actionError, setActionError] = useState<AgentError>();
  const [desk, setDesk] = useState<DeskStart>();
  const [now, setNow] = useState(() => Date.now());
  const socketRef = useRef<StaffSocket | undefined>(undefined);
  const seen = useRef<Set<string> | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const alertsHeading = useRef<HTMLHeadingElement>(null);
  // The socket's handlers outlive renders: they read the current language, sound setting and callback here.
  const live = useRef({ soundOn, language, onSignedOut });
  live.current = { soundOn, language, onSignedOut };

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const socket: StaffSocket = io('/staff', { transports: ['websocket'], auth: { csrfToken: csrf } });
    socketRef.current = socket;
    const timers = new Set<ReturnType<typeof setTimeout>>();
    socket.on('connect', () => setConnected(true));
    socket.on('disconnect', () => setConnected(false));
    socket.on('connect_error', () => {
      setConnected(false);
      // Refused at the handshake: the sign-in may have ended (expired, or signed out elsewhere).
      void api.session().then((reply) => {
        if (!reply.ok && reply.error.code === 'TRANSPORT_UNAUTHORIZED') live.current.onSignedOut(true);
      });
    });
    socket.on('staff:board', (payload: unknown) => {
      const parsed = StaffBoardSchema.safeParse(payload);
      if (!parsed.success) return setUnreadable(true);
      const next = parsed.data;
      setUnreadable(false);
      setBoard(next);
      const ids = [...next.alerts.map((a) => a.id), ...(next.reviews ?? []).map((r) => r.id)];
      // The board at sign-in is what is there already; only what arrives after it is announced.
      const arrived = seen.current ? ids.filter((id) => !seen.current?.has(id)) : [];
      seen.current = new Set(ids);
      if (arrived.length === 0) return;
      const { language: lang, soundOn: sound } = live.current;
      const words = [
        ...byUrgency(next.alerts.filter((a) => arrived.includes(a.id))).map((a) => ALERT_KIND_WORDING[a.kind][lang]),
        ...(next.reviews ?? []).filter((r) => arrived.includes(r.id)).map((r) => REVIEW_KIND_WORDING[r.kind][lang]),
      ];
      setAnnouncement(STAFF_TEXT[lang].alerts.announce(words.join(lang === 'ja' ? '、' : ', ')));
      setFresh((before) => new Set([...before, ...arrived]));
      const timer = setTimeout(() => {
        timers.delete(timer);
        setFresh((before) => new Set([...before].filter((id) => !arrived.includes(id))));
      }, FRESH_MS);
      timers.add(timer);
      if (sound) chime.play();
    });
    return () => {
      for (const timer of timers) clearTimeout(timer);
      socketRef.current = undefined;
      seen.current = null;
      socket.close();
    };
  }, [api, csrf, chime]);

  useEffect(() => {
    const count = board ? board.alerts.length + (board.reviews?.length ?? 0) : 0;
    document.title = count > 0 ? `(${count}) ${t.title}` : t.title;
  }, [board, t.title]);

  const send = (type: StaffActionType, alertId: string, sessionId: string | null): Promise<StaffActionReply> =>
    new Promise((resolve) => {
      const socket = socketRef.current;
      if (!socket?.connected) return resolve({ ok: false, error: agentError('INTERNAL', 'Not connected') });
      socket.timeout(ACTION_TIMEOUT_MS).emit('staff:action', { type, alertId, ...(sessionId ? { sessionId } : {}) }, (timedOut, reply) => {
        const parsed = StaffActionReplySchema.safeParse(reply);
        resolve(!timedOut && parsed.success ? parsed.data : { ok: false, error: agentError('INTERNAL', 'No answer') });
      });
    });

  const perform = async (alertId: string, sessionId: string | null, type: StaffActionType) => {
    setBusy((b) => new Set([...b, alertId]));
    setFresh((f) => new Set([...f].filter((id) => id !== alertId)));
    const reply = await send(type, alertId, sessionId);
    setBusy((b) => new Set([...b].filter((id) => id !== alertId)));
    setActionError(reply.ok ? undefined : reply.error);
    // The card is gone or changed: keyboard users continue from the list's heading, not from nowhere.
    if (reply.ok) alertsHeading.current?.focus();
  };

  const queue = board?.queue ?? [];
  const entryOf = (sessionId: string | null) => (sessionId ? queue.find((q) => q.sessionId === sessionId) : undefined);
  const onAlertAction = (alert: Alert, action: AlertAction) => {
    if (action !== 'desk-entry') return void perform(alert.id, alert.sessionId, action);
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDesk(deskStartFor(alert, entryOf(alert.sessionId)));
  };
  const onReviewAction = (review: ReviewAlert, action: 'take-over' | 'dismiss') => void perform(review.id, null, action);
  const closeDesk = () => {
    setDesk(undefined);
    const back = opener.current;
    opener.current = null;
    requestAnimationFrame(() => (back?.isConnected ? back : alertsHeading.current)?.focus());
  };

  const alerts = byUrgency(board?.alerts ?? []);
  const deskTargets: DeskTarget[] = alerts
    .filter((a): a is Alert & { sessionId: string } => a.sessionId !== null && a.actions.includes('desk-entry'))
    .map((a) => ({
      sessionId: a.sessionId,
      label: t.entry.linkedOption(japanTime(entryOf(a.sessionId)?.startedAt ?? a.since), w(ALERT_KIND_WORDING[a.kind]), shortRef(a.sessionId)),
    }));

  return (
    <div className="sc-app">
      <header className="sc-bar">
        <div className="sc-bar__title">
          <h1>{t.title}</h1>
          {board && (
            <p className="sc-bar__day">
              {japanDay(board.day, language)}{' '}
              <span className="sc-bar__clock">
                {t.bar.now} <time>{japanTime(new Date(now))}</time>
              </span>
            </p>
          )}
        </div>
        <div className="sc-bar__account">
          <span className="sc-bar__user">
            {t.bar.signedInAs}: <strong>{user}</strong>
          </span>
          <button type="button" className="sc-button sc-button--bar" onClick={() => void api.logout().then(() => onSignedOut(false))}>
            {t.bar.signOut}
          </button>
        </div>
        <ul className="sc-bar__status" aria-label={t.bar.statusGroup}>
          <li className={`sc-chip ${connected ? 'sc-chip--ok' : 'sc-chip--bad'}`} data-testid="connection">
            {connected ? t.bar.connected : t.bar.disconnected}
          </li>
          {board && <ReaderChip board={board} />}
          {board && <KioskChip step={board.kiosk.step} />}
        </ul>
        <div className="sc-bar__tools" role="group" aria-label={t.bar.toolsGroup}>
          <button
            type="button"
            className="sc-button sc-button--bar sc-button--toggle"
            aria-pressed={soundOn}
            data-action="sound"
            onClick={() => {
              preferences.setSoundOn(!soundOn);
              setSoundOn(!soundOn);
            }}
          >
            {t.bar.sound}: {soundOn ? t.bar.soundOn : t.bar.soundOff}
          </button>
          <LanguageSwitch onLanguage={onLanguage} />
          <a className="sc-button sc-button--bar" href="/staff/api/export?format=csv">
            {t.bar.exportCsv}
          </a>
          <a className="sc-button sc-button--bar" href="/staff/api/export?format=json">
            {t.bar.exportJson}
          </a>
          <button type="button" className="sc-button sc-button--bar" onClick={() => window.print()}>
            {t.bar.print}
          </button>
        </div>
      </header>
      <main className="sc-main">
        {board?.demo && (
          <p role="note" className="sc-demo" data-testid="demo-note">
            {t.demo}
          </p>
        )}
        {unreadable && (
          <p role="alert" className="sc-error sc-banner">
            {t.errors.badBoard}
          </p>
        )}
        <section className="sc-panel sc-panel--alerts" aria-labelledby="alerts-h">
          <h2 id="alerts-h" ref={alertsHeading} tabIndex={-1}>
            {t.alerts.heading} <span className="sc-count">{alerts.length}</span>
          </h2>
          {actionError && (
            <p role="alert" className="sc-error">
              {errorWords(t, actionError)}
            </p>
          )}
          {alerts.length === 0 ? (
            <p className="sc-empty">{t.alerts.none}</p>
          ) : (
            <ol className="sc-alerts">
              {alerts.map((alert) => (
                <AlertCard
                  key={alert.id}
                  alert={alert}
                  entry={entryOf(alert.sessionId)}
                  fresh={fresh.has(alert.id)}
                  busy={busy.has(alert.id)}
                  now={now}
                  onAction={onAlertAction}
                />
              ))}
            </ol>
          )}
          {board?.reviews && (
            <section aria-labelledby="reviews-h" className="sc-reviews">
              <h2 id="reviews-h">
                {t.reviews.heading} <span className="sc-count">{board.reviews.length}</span>
              </h2>
              <ol className="sc-alerts">
                {board.reviews.map((review) => (
                  <ReviewCard key={review.id} review={review} queue={queue} fresh={fresh.has(review.id)} busy={busy.has(review.id)} onAction={onReviewAction} />
                ))}
              </ol>
            </section>
          )}
        </section>
        {/* Not a landmark itself: its scrolling list below is the region named by the heading. */}
        <section className="sc-panel sc-panel--queue">
          <div className="sc-panel__head">
            <h2 id="queue-h">
              {t.queue.heading} <span className="sc-count">{t.queue.count(queue.length)}</span> <span className="sc-muted">{t.queue.order}</span>
            </h2>
            <button
              type="button"
              className="sc-button sc-button--secondary"
              data-action="desk-entry-new"
              onClick={(e) => {
                opener.current = e.currentTarget;
                setDesk({});
              }}
            >
              {t.queue.newEntry}
            </button>
          </div>
          {queue.length === 0 ? (
            <p className="sc-empty">{t.queue.none}</p>
          ) : (
            // Scrolls on its own so the alerts stay in view; focusable so the keyboard can scroll it too.
            <div className="sc-queue-scroll" tabIndex={0} role="region" aria-labelledby="queue-h">
              <QueueTable queue={queue} captionId="queue-h" orca={{ api, onResult: setActionError }} />
            </div>
          )}
          {board?.rules && <RulesNote rules={board.rules} today={board.day} />}
        </section>
      </main>
      <p className="sc-visually-hidden" role="status" data-testid="announcer">
        {announcement}
      </p>
      {desk && <DeskEntry api={api} start={desk} targets={deskTargets} onClose={closeDesk} />}
    </div>
  );
}

function KioskChip({ step }: { step: StaffBoard['kiosk']['step'] }) {
  const { t } = useStaffText();
  const waiting = step === 'staff' || step === 'visual-check';
  return (
    <li className={`sc-chip ${waiting ? 'sc-chip--warn' : ''}`} data-testid="kiosk">
      {t.bar.kiosk}: {step === 'welcome' ? t.bar.kioskStates.idle : waiting ? t.bar.kioskStates.waiting : t.bar.kioskStates.busy}
    </li>
  );
}

function ReaderChip({ board }: { board: StaffBoard }) {
  const { t } = useStaffText();
  const { reader } = board;
  const state =
    reader.service === 'starting'
      ? 'starting'
      : reader.service === 'unavailable' || reader.readers.some((r) => r.state === 'unavailable')
        ? 'down'
        : reader.readers.length === 0
          ? 'none'
          : 'ok';
  return (
    <li className={`sc-chip ${state === 'ok' ? 'sc-chip--ok' : state === 'starting' ? '' : 'sc-chip--bad'}`} data-testid="reader">
      {t.bar.reader}: {t.bar.readerStates[state]}
    </li>
  );
}

/**
 * Which edition of the document rules the agent runs, a warning when it is older than the configured age
 * (these rules change by notice weeks before a date), and whether a clinic override is active. "Today" is
 * the agent's Japan day on the board.
 */
function RulesNote({ rules, today }: { rules: RulesInfo; today: string }) {
  const { t } = useStaffText();
  const age = rulesEditionAgeDays(rules.edition.checkedOn, today);
  return (
    <section aria-labelledby="rules-h" className="sc-rules">
      <h2 id="rules-h">{t.rules.heading}</h2>
      <p data-testid="rules-edition">{t.rules.checked(rules.edition.checkedOn, age)}</p>
      {rulesEditionStale(rules, today) && (
        <p role="alert" className="sc-error" data-testid="rules-stale">
          {t.rules.stale(rules.maxAgeDays)}
        </p>
      )}
      {rules.override && (
        <p role="note" className="sc-notice" data-testid="rules-override">
          {t.rules.override}: <code>{rules.override.fields.join(', ')}</code>
        </p>
      )}
      <details>
        <summary>{t.rules.sources(rules.edition.sources.length)}</summary>
        <ul>
          {rules.edition.sources.map((source) => (
            <li key={source.title}>
              {source.date ?? t.rules.undated} — {source.title}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
