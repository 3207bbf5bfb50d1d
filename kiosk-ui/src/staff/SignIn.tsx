import { useState, type FormEvent } from 'react';
import type { StaffApi } from './api.ts';
import { useStaffText } from './language.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import type { StaffLanguage } from './text.ts';

export function SignIn({
  api,
  notice,
  onSignedIn,
  onLanguage,
}: {
  api: StaffApi;
  /** Why the console is back here (e.g. the sign-in expired). */
  notice?: string;
  onSignedIn: (username: string, csrfToken: string) => void;
  onLanguage: (language: StaffLanguage) => void;
}) {
  const { t } = useStaffText();
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = new FormData(event.currentTarget);
    setBusy(true);
    const reply = await api.login(String(form.get('username') ?? ''), String(form.get('password') ?? ''));
    setBusy(false);
    if (reply.ok) return onSignedIn(reply.data.username, reply.data.csrfToken);
    const wait = reply.error.details?.retryAfterSeconds;
    setError(reply.error.code === 'TRANSPORT_RATE_LIMITED' ? t.signIn.throttled(typeof wait === 'number' ? wait : undefined) : t.signIn.wrong);
  };
  return (
    <div className="sc-signin">
      <main className="sc-signin__card">
        <div className="sc-signin__top">
          <p className="sc-signin__app">{t.title}</p>
          <LanguageSwitch onLanguage={onLanguage} />
        </div>
        <h1>{t.signIn.heading}</h1>
        <p className="sc-signin__lead">{t.signIn.lead}</p>
        {notice && (
          <p role="status" className="sc-notice">
            {notice}
          </p>
        )}
        <form onSubmit={(e) => void submit(e)} className="sc-signin__form">
          <label className="sc-field">
            <span className="sc-field__label">{t.signIn.username}</span>
            <input name="username" autoComplete="username" autoCapitalize="off" spellCheck={false} required autoFocus />
          </label>
          <label className="sc-field">
            <span className="sc-field__label">{t.signIn.password}</span>
            <input name="password" type="password" autoComplete="current-password" required />
          </label>
          <button type="submit" className="sc-button sc-button--primary sc-button--wide" aria-disabled={busy || undefined}>
            {t.signIn.submit}
          </button>
          {error && (
            <p role="alert" className="sc-error">
              {error}
            </p>
          )}
        </form>
      </main>
    </div>
  );
}
