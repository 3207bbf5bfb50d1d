import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { io } from 'socket.io-client';
import {
  DOCUMENT_REASON_WORDING,
  PATIENT_GUIDANCE_WORDING,
  rulesEditionAgeDays,
  rulesEditionStale,
  STAFF_CHECK_WORDING,
  type RulesInfo,
} from '@kiosk/protocol';
import { createApi, type ManualEntry, type ManualEntryResult, type ReviewAlert, type StaffBoard } from './api.ts';
import { OrcaCell } from './OrcaCell.tsx';

const DOCUMENTS: Array<[string, string]> = [
  ['myna_card', 'マイナンバーカード / My Number card'],
  ['shikaku_kakuninsho', '資格確認書 / Eligibility certificate'],
  ['shikaku_joho_oshirase', '資格情報のお知らせ / Eligibility notice'],
  ['old_hokensho', '健康保険証 / Old insurance card'],
  ['mynaportal_screen', 'マイナポータル画面 / Myna Portal screen'],
  ['smartphone_myna', 'スマホ保険証 / Smartphone'],
  ['mobile_consent_app', '居宅同意取得型アプリ / Mobile consent app'],
  ['medical_ticket', '医療券 / Medical ticket (医療扶助)'],
  ['self_declaration', '被保険者資格申立書 / Self-declaration'],
];

const ACTION_LABELS: Record<string, string> = {
  'approve-visual': '目視OK / Approve',
  'decline-visual': '目視NG / Decline',
  'take-over': '引き継ぐ / Take over',
  dismiss: '対応済み / Done',
};

/** On a review item take-over means staff assign the result to a patient themselves. */
const REVIEW_ACTION_LABELS: Record<string, string> = {
  'take-over': '割り当てる / Assign',
  dismiss: '破棄 / Dismiss',
};

const REVIEW_KIND_LABELS: Record<ReviewAlert['kind'], string> = {
  'walk-in': '受付機を通らない顔認証結果 / Face result with no kiosk session',
  review: '顔認証結果の確認 / Face result to review',
};

export function StaffApp() {
  const [csrf, setCsrf] = useState<string>();
  const [user, setUser] = useState<string>();
  const [board, setBoard] = useState<StaffBoard>();
  const [message, setMessage] = useState('');
  const csrfRef = useRef<string | undefined>(undefined);
  csrfRef.current = csrf;
  const api = useMemo(() => createApi(() => csrfRef.current), []);

  useEffect(() => {
    void api.session().then((r) => {
      if (r.ok) {
        setCsrf(r.data.csrfToken);
        setUser(r.data.username);
      }
    });
  }, [api]);

  useEffect(() => {
    if (!csrf) return;
    const socket = io('/staff', { transports: ['websocket'], auth: { csrfToken: csrf } });
    socket.on('staff:board', (b: StaffBoard) => setBoard(b));
    socket.on('connect_error', () => setMessage('接続できません / Not connected'));
    return () => void socket.close();
  }, [csrf]);

  if (!csrf) return <Login onLogin={(u, token) => (setUser(u), setCsrf(token))} api={api} />;

  const act = async (type: string, sessionId: string | null, alertId: string) => {
    const r = await api.action(type, sessionId, alertId);
    setMessage(r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  };

  return (
    <>
      <header>
        <strong>受付スタッフ / Staff console</strong>
        <span>{user}</span>
        <button onClick={() => window.print()}>印刷 / Print</button>
        <a style={{ color: '#fff' }} href="/staff/api/export?format=csv">
          CSV
        </a>
        <a style={{ color: '#fff' }} href="/staff/api/export?format=json">
          JSON
        </a>
        <button onClick={() => void api.logout().then(() => setCsrf(undefined))}>ログアウト / Sign out</button>
      </header>
      <main>
        {board?.demo && (
          <p role="note" className="demo" data-testid="demo-note">
            デモです：模擬リーダーと架空の患者で、実際の資格確認はしていません / Demonstration: mock reader, invented patients, no real eligibility check
          </p>
        )}
        {message && (
          <p role="alert" className="error">
            {message}
          </p>
        )}
        {board?.rules && <RulesNote rules={board.rules} today={board.day} />}
        <section aria-labelledby="alerts-h" className="no-print">
          <h2 id="alerts-h">対応が必要 / Needs a person ({board?.alerts.length ?? 0})</h2>
          {board?.alerts.map((a) => (
            <div key={a.id} className="alert">
              <strong>{a.kind}</strong> {a.sessionId && <code>{a.sessionId.slice(0, 8)}</code>} {a.live && <em>（受付機で待機中 / at the kiosk）</em>}{' '}
              <small>{new Date(a.since).toLocaleTimeString('ja-JP')}</small>{' '}
              {a.actions.map((t) => (
                <button key={t} onClick={() => void act(t, a.sessionId, a.id)}>
                  {ACTION_LABELS[t] ?? t}
                </button>
              ))}
            </div>
          ))}
        </section>
        {board?.reviews && (
          <section aria-labelledby="reviews-h" className="no-print">
            <h2 id="reviews-h">資格確認端末の結果 / Terminal results ({board.reviews.length})</h2>
            {board.reviews.map((r) => (
              <div key={r.id} className="alert">
                <strong>{REVIEW_KIND_LABELS[r.kind]}</strong> {r.reason && <span>({r.reason})</span>} {r.outcome && <span>{r.outcome}</span>}{' '}
                {r.sessionIds.map((id) => (
                  <code key={id}>{id.slice(0, 8)}</code>
                ))}{' '}
                <small>{new Date(r.since).toLocaleTimeString('ja-JP')}</small>{' '}
                {r.actions.map((t) => (
                  <button key={t} onClick={() => void act(t, null, r.id)}>
                    {REVIEW_ACTION_LABELS[t] ?? t}
                  </button>
                ))}
              </div>
            ))}
          </section>
        )}
        <section aria-labelledby="queue-h">
          <h2 id="queue-h">本日の受付 / Today's check-ins {board?.day}</h2>
          <table>
            <thead>
              <tr>
                <th>番号 / No.</th>
                <th>時刻 / Time</th>
                <th>状態 / Status</th>
                <th>認証 / Auth</th>
                <th>資格 / Eligibility</th>
                <th>注記 / Flags</th>
                {board?.queue.some((q) => q.orca) && <th>ORCA</th>}
              </tr>
            </thead>
            <tbody>
              {board?.queue.map((q) => (
                <tr key={q.sessionId}>
                  <td>{q.queueNumber ?? '—'}</td>
                  <td>{new Date(q.startedAt).toLocaleTimeString('ja-JP')}</td>
                  <td>
                    {q.status}
                    {q.staffReason ? ` (${q.staffReason})` : ''}
                  </td>
                  <td>{q.authMethod ?? ''}</td>
                  <td>{q.eligibilityOutcome ?? ''}</td>
                  <td>{q.flags.join(', ')}</td>
                  {board.queue.some((e) => e.orca) && (
                    <td>{q.orca && <OrcaCell entry={q.orca} sessionId={q.sessionId} api={api} onResult={(e) => setMessage(e ?? '')} />}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <ManualEntryForm api={api} />
      </main>
    </>
  );
}

/**
 * Which edition of the document rules the agent runs, a warning when it is older than the configured age
 * (these rules change by notice weeks before a date), and whether a clinic override is active. "Today" is
 * the agent's Japan day on the board.
 */
function RulesNote({ rules, today }: { rules: RulesInfo; today: string }) {
  const age = rulesEditionAgeDays(rules.edition.checkedOn, today);
  return (
    <section aria-labelledby="rules-h" className="rules no-print">
      <h2 id="rules-h">書類ルールの版 / Document rules edition</h2>
      <p data-testid="rules-edition">
        {rules.edition.checkedOn} 確認 / checked ({age} 日前 / days ago)
      </p>
      {rulesEditionStale(rules, today) && (
        <p role="alert" className="error" data-testid="rules-stale">
          ルールの版が {rules.maxAgeDays} 日より古くなっています。新しい通知（事務連絡）がないか確認してください / The rules edition is older than{' '}
          {rules.maxAgeDays} days: check for newer notices
        </p>
      )}
      {rules.override && (
        <p role="note" className="warning" data-testid="rules-override">
          医療機関の設定ファイルで上書き中 / Clinic override active: <code>{rules.override.fields.join(', ')}</code>
        </p>
      )}
      <details>
        <summary>出典 / Sources ({rules.edition.sources.length})</summary>
        <ul>
          {rules.edition.sources.map((source) => (
            <li key={source.title}>
              {source.date ?? '日付なし / undated'} — {source.title}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function Login({ api, onLogin }: { api: ReturnType<typeof createApi>; onLogin: (user: string, csrf: string) => void }) {
  const [error, setError] = useState('');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const r = await api.login(String(form.get('username')), String(form.get('password')));
    if (r.ok) onLogin(r.data.username, r.data.csrfToken);
    else
      setError(
        r.error.code === 'TRANSPORT_RATE_LIMITED'
          ? '試行回数が多すぎます / Too many tries, wait'
          : 'ユーザー名かパスワードが違います / Wrong username or password',
      );
  };
  return (
    <main>
      <h1>受付スタッフ ログイン / Staff sign-in</h1>
      <form onSubmit={(e) => void submit(e)}>
        <label>
          ユーザー名 / Username <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          パスワード / Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit">ログイン / Sign in</button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

function ManualEntryForm({ api }: { api: ReturnType<typeof createApi> }) {
  const [result, setResult] = useState<ManualEntryResult>();
  const [error, setError] = useState('');
  const read = (form: HTMLFormElement): ManualEntry => {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim() || undefined;
    const kakuninsho = text('expiryKakuninsho');
    const oldCard = text('expiryOld');
    const ticket = text('expiryTicket');
    return {
      documents: data.getAll('documents').map(String) as ManualEntry['documents'],
      ...(text('insurerNumber') ? { insurerNumber: text('insurerNumber') } : {}),
      ...(text('symbol') ? { symbol: text('symbol') } : {}),
      ...(text('number') ? { number: text('number') } : {}),
      ...(text('branch') ? { branch: text('branch') } : {}),
      ...(text('birthDate') ? { birthDate: text('birthDate') } : {}),
      ...(kakuninsho || oldCard || ticket
        ? {
            printedExpiry: {
              ...(kakuninsho ? { shikaku_kakuninsho: kakuninsho } : {}),
              ...(oldCard ? { old_hokensho: oldCard } : {}),
              ...(ticket ? { medical_ticket: ticket } : {}),
            },
          }
        : {}),
      ...(data.get('cannotOperate') === 'on' ? { patientCannotOperateReader: true } : {}),
      ...(text('sessionId') ? { sessionId: text('sessionId') } : {}),
      lookup: data.get('lookup') === 'on',
    };
  };
  const run = async (form: HTMLFormElement, save: boolean) => {
    const entry = read(form);
    if (entry.documents.length === 0) return setError('書類を選んでください / Pick the documents');
    const r = save ? await api.save(entry) : await api.preview(entry);
    if (r.ok) {
      setResult(r.data);
      setError('');
    } else setError(`${r.error.code}: ${r.error.message}`);
  };
  const insurer = result?.insurerNumber;
  return (
    <section aria-labelledby="manual-h" className="no-print">
      <h2 id="manual-h">手入力 / Manual entry</h2>
      <form onSubmit={(e) => (e.preventDefault(), void run(e.currentTarget, true))} onChange={(e) => void run(e.currentTarget, false)}>
        <fieldset>
          <legend>提示書類 / Documents presented</legend>
          {DOCUMENTS.map(([id, label]) => (
            <label key={id}>
              <input type="checkbox" name="documents" value={id} /> {label}
            </label>
          ))}
        </fieldset>
        <label>
          保険者番号 / Insurer number <input name="insurerNumber" inputMode="numeric" maxLength={8} aria-describedby="insurer-check" />
        </label>
        <span id="insurer-check" role="status" className={insurer?.valid ? 'ok' : 'error'}>
          {insurer ? (insurer.valid ? `検証番号OK / check digit OK (${insurer.kind})` : `検証番号が合いません / ${insurer.message}`) : ''}
        </span>
        <label>
          記号 / Symbol <input name="symbol" maxLength={40} />
        </label>
        <label>
          番号 / Number <input name="number" maxLength={40} />
        </label>
        <label>
          枝番 / Branch <input name="branch" inputMode="numeric" maxLength={2} />
        </label>
        <label>
          生年月日 / Birth date <input name="birthDate" type="date" />
        </label>
        <label>
          資格確認書の有効期限 / Certificate printed expiry <input name="expiryKakuninsho" type="date" />
        </label>
        <label>
          保険証の有効期限 / Old card printed expiry <input name="expiryOld" type="date" />
        </label>
        <label>
          医療券の有効期間の末日 / Medical ticket: last day of its month <input name="expiryTicket" type="date" />
        </label>
        <label>
          <input type="checkbox" name="cannotOperate" /> カードリーダーを操作できない / Patient cannot operate the reader
        </label>
        <label>
          受付機セッション / Kiosk session (optional) <input name="sessionId" maxLength={128} />
        </label>
        <label>
          <input type="checkbox" name="lookup" /> 一件照会 / Online single lookup
        </label>
        <button type="submit">保存 / Save</button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {result && (
        <div role="status">
          <p>
            判定 / Decision: <strong>{result.decision.decision}</strong>
          </p>
          <ul aria-label="理由 / Reasons">
            {result.decision.reasons.map((reason) => (
              <li key={reason} data-reason={reason}>
                {DOCUMENT_REASON_WORDING[reason].ja} / {DOCUMENT_REASON_WORDING[reason].en}
              </li>
            ))}
          </ul>
          {result.decision.staffChecks.length > 0 && (
            <ul aria-label="確認事項 / Staff checks">
              {result.decision.staffChecks.map((check) => (
                <li key={check} data-check={check}>
                  {STAFF_CHECK_WORDING[check].ja} / {STAFF_CHECK_WORDING[check].en}
                </li>
              ))}
            </ul>
          )}
          <p data-guidance={result.decision.patientGuidance}>
            患者への案内 / Patient guidance: {PATIENT_GUIDANCE_WORDING[result.decision.patientGuidance].ja} /{' '}
            {PATIENT_GUIDANCE_WORDING[result.decision.patientGuidance].en}
          </p>
          {result.lookup && <p>一件照会 / Lookup: {result.lookup.outcome}</p>}
          {result.saved && <p className="ok">保存しました / Saved{result.saved.queueNumber ? ` — 受付番号 / No. ${result.saved.queueNumber}` : ''}</p>}
        </div>
      )}
    </section>
  );
}
