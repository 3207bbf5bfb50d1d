import type { ReactNode } from 'react';
import type { AgentError, Notice } from '@kiosk/protocol';
import type { Catalogue, Text } from '../i18n/types.ts';
import { T } from './Text.tsx';

function Callout({ kind, label, children }: { kind: 'notice' | 'error'; label: Text; children: ReactNode }) {
  // The icon and the written label carry the meaning; the colour only repeats it.
  return (
    <div className={`callout callout--${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      <span className="callout__icon" aria-hidden="true">
        {kind === 'error' ? '⚠' : 'ℹ'}
      </span>
      <div>
        <strong className="callout__label">
          <T text={label} />
        </strong>
        {children}
      </div>
    </div>
  );
}

export function Notices({ notices, t }: { notices: readonly Notice[]; t: Catalogue }) {
  if (notices.length === 0) return null;
  return (
    <Callout kind="notice" label={t.common.noticeLabel}>
      {notices.map((notice) => (
        <p key={notice} data-notice={notice}>
          <T text={t.notices[notice]} />
        </p>
      ))}
    </Callout>
  );
}

/** What went wrong and what to do next. */
export function ErrorNotice({ error, t }: { error: AgentError | undefined; t: Catalogue }) {
  if (!error) return null;
  const text = t.errors[error.code];
  return (
    <Callout kind="error" label={t.common.errorLabel}>
      <p data-error={error.code}>
        <T text={text.what} />
      </p>
      <p>
        <T text={text.next} />
      </p>
    </Callout>
  );
}

export function Message({ text }: { text: Text }) {
  return (
    <p className="message">
      <T text={text} />
    </p>
  );
}
