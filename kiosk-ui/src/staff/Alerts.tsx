import {
  ALERT_ACTION_WORDING,
  ALERT_KIND_WORDING,
  ALERT_TODO_WORDING,
  DOCUMENT_WORDING,
  ELIGIBILITY_WORDING,
  REVIEW_ACTION_WORDING,
  REVIEW_KIND_WORDING,
  REVIEW_REASON_WORDING,
  type Alert,
  type AlertAction,
  type QueueEntry,
  type ReviewAlert,
} from '@kiosk/protocol';
import { urgencyOf } from './alerts.ts';
import { shortRef, useStaffText } from './language.tsx';
import { japanTime, minutesSince } from './time.ts';

/** How each action looks: the expected answer stands out, the quiet ones do not compete with it. */
const ACTION_STYLE: Record<AlertAction, 'primary' | 'secondary' | 'danger' | 'quiet'> = {
  'approve-visual': 'primary',
  'decline-visual': 'danger',
  'desk-entry': 'primary',
  'take-over': 'secondary',
  dismiss: 'quiet',
};

const URGENCY_CLASS = ['now', 'system', 'waiting', 'later'] as const;

export function AlertCard({
  alert,
  entry,
  fresh,
  busy,
  now,
  onAction,
}: {
  alert: Alert;
  /** The alert's check-in in today's queue, when it has one. */
  entry: QueueEntry | undefined;
  /** Arrived since the console last drew the board: highlighted and marked new. */
  fresh: boolean;
  /** An action on it is on its way: a second press is ignored. */
  busy: boolean;
  now: number;
  onAction: (alert: Alert, action: AlertAction) => void;
}) {
  const { t, w, list } = useStaffText();
  const titleId = `alert-${alert.id}-title`;
  // One primary button per card: the first expected answer; a second one (desk entry beside 目視OK) is secondary.
  const primary = alert.actions.find((a) => ACTION_STYLE[a] === 'primary');
  const styleOf = (action: AlertAction) => (ACTION_STYLE[action] === 'primary' && action !== primary ? 'secondary' : ACTION_STYLE[action]);
  return (
    <li
      className={`sc-alert sc-alert--${URGENCY_CLASS[urgencyOf(alert)]}${fresh ? ' sc-alert--fresh' : ''}`}
      aria-labelledby={titleId}
      data-alert={alert.id}
      data-kind={alert.kind}
    >
      <div className="sc-alert__head">
        <h3 className="sc-alert__title" id={titleId}>
          {w(ALERT_KIND_WORDING[alert.kind])}
        </h3>
        {fresh && <span className="sc-badge sc-badge--new">{t.alerts.isNew}</span>}
        {alert.live && <span className="sc-badge sc-badge--live">{t.alerts.atKiosk}</span>}
      </div>
      <p className="sc-alert__todo">{w(ALERT_TODO_WORDING[alert.kind])}</p>
      <dl className="sc-facts">
        <div>
          <dt>{t.alerts.since}</dt>
          <dd>
            <time dateTime={alert.since}>{japanTime(alert.since)}</time> <span className="sc-muted">{t.alerts.minutesAgo(minutesSince(alert.since, now))}</span>
          </dd>
        </div>
        {alert.sessionId && (
          <div>
            <dt>{t.alerts.reference}</dt>
            <dd className="sc-ref">{shortRef(alert.sessionId)}</dd>
          </div>
        )}
        {entry?.documents && (
          <div>
            <dt>{t.alerts.chosen}</dt>
            <dd>{list(entry.documents.map((d) => w(DOCUMENT_WORDING[d])))}</dd>
          </div>
        )}
      </dl>
      {alert.actions.length > 0 ? (
        <div className="sc-actions">
          {alert.actions.map((action) => (
            <button
              key={action}
              type="button"
              className={`sc-button sc-button--${styleOf(action)}`}
              data-action={action}
              aria-disabled={busy || undefined}
              aria-describedby={titleId}
              onClick={() => !busy && onAction(alert, action)}
            >
              {w(ALERT_ACTION_WORDING[action])}
            </button>
          ))}
        </div>
      ) : (
        <p className="sc-alert__auto">{t.alerts.clearsItself}</p>
      )}
    </li>
  );
}

export function ReviewCard({
  review,
  queue,
  fresh,
  busy,
  onAction,
}: {
  review: ReviewAlert;
  queue: readonly QueueEntry[];
  fresh: boolean;
  busy: boolean;
  onAction: (review: ReviewAlert, action: 'take-over' | 'dismiss') => void;
}) {
  const { t, w } = useStaffText();
  const titleId = `review-${review.id}-title`;
  const actions = review.actions.filter((a): a is 'take-over' | 'dismiss' => a === 'take-over' || a === 'dismiss');
  return (
    <li className={`sc-alert sc-alert--waiting${fresh ? ' sc-alert--fresh' : ''}`} aria-labelledby={titleId} data-alert={review.id}>
      <div className="sc-alert__head">
        <h3 className="sc-alert__title" id={titleId}>
          {w(REVIEW_KIND_WORDING[review.kind])}
        </h3>
        {fresh && <span className="sc-badge sc-badge--new">{t.alerts.isNew}</span>}
      </div>
      <dl className="sc-facts">
        <div>
          <dt>{t.alerts.since}</dt>
          <dd>
            <time dateTime={review.since}>{japanTime(review.since)}</time>
          </dd>
        </div>
        {review.reason && (
          <div>
            <dt>{t.reviews.reason}</dt>
            <dd>{w(REVIEW_REASON_WORDING[review.reason])}</dd>
          </div>
        )}
        {review.outcome && (
          <div>
            <dt>{t.reviews.outcome}</dt>
            <dd>{w(ELIGIBILITY_WORDING[review.outcome])}</dd>
          </div>
        )}
        {review.sessionIds.length > 0 && (
          <div>
            <dt>{t.reviews.candidates}</dt>
            <dd>
              <ul className="sc-inline-list">
                {review.sessionIds.map((id) => {
                  const entry = queue.find((q) => q.sessionId === id);
                  return <li key={id}>{t.reviews.candidate(entry ? japanTime(entry.startedAt) : '—', shortRef(id))}</li>;
                })}
              </ul>
            </dd>
          </div>
        )}
      </dl>
      <div className="sc-actions">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={`sc-button sc-button--${action === 'dismiss' ? 'quiet' : 'secondary'}`}
            data-action={action}
            aria-disabled={busy || undefined}
            aria-describedby={titleId}
            onClick={() => !busy && onAction(review, action)}
          >
            {w(REVIEW_ACTION_WORDING[action])}
          </button>
        ))}
      </div>
    </li>
  );
}
