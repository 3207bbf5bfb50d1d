import type { ReactNode } from 'react';
import {
  ALERT_KIND_WORDING,
  AUTH_METHOD_WORDING,
  CHECKIN_ORIGIN_WORDING,
  CHECKIN_STATUS_WORDING,
  DOCUMENT_DECISION_WORDING,
  DOCUMENT_WORDING,
  ELIGIBILITY_WORDING,
  QUEUE_FLAG_WORDING,
  type AgentError,
  type QueueEntry,
  type QueueFlag,
} from '@kiosk/protocol';
import type { StaffApi } from './api.ts';
import { shortRef, useStaffText } from './language.tsx';
import type { StaffText } from './text.ts';
import { japanTime } from './time.ts';
import { OrcaCell } from './OrcaCell.tsx';

type Cell = (entry: QueueEntry, words: ReturnType<typeof useStaffText>) => ReactNode;
type Column = { key: string; header: (t: StaffText) => string; cell: Cell };

/** Flags that the other columns do not already say (目視 is the identity column, 窓口入力 the origin). */
const NOTE_FLAGS: readonly QueueFlag[] = ['new-patient', 'interrupted', 'resolved'];

const dash = <span aria-hidden="true">—</span>;

/**
 * The queue's columns, in order: a header and how a row fills its cell. A new column (e.g. the receipt
 * computer's sync state) is one more entry here; QueueRow draws every row from this list.
 */
export const QUEUE_COLUMNS: readonly Column[] = [
  {
    key: 'number',
    header: (t) => t.queue.number,
    cell: (q, { t }) =>
      q.queueNumber !== undefined ? (
        <span className="sc-queue-number">{q.queueNumber}</span>
      ) : (
        <span className="sc-muted">
          {t.queue.noNumber}
          <br />
          <span className="sc-ref">
            {t.alerts.reference} {shortRef(q.sessionId)}
          </span>
        </span>
      ),
  },
  {
    key: 'time',
    header: (t) => t.queue.time,
    cell: (q) => <time dateTime={q.startedAt}>{japanTime(q.startedAt)}</time>,
  },
  {
    key: 'status',
    header: (t) => t.queue.status,
    cell: (q, { w }) => {
      const status = w(CHECKIN_STATUS_WORDING[q.status]);
      const reason = q.staffReason ? w(ALERT_KIND_WORDING[q.staffReason]) : undefined;
      return (
        <>
          <span className={`sc-status sc-status--${q.status}`}>{status}</span>
          {reason && reason !== status && <span className="sc-cell-note">{reason}</span>}
        </>
      );
    },
  },
  {
    key: 'auth',
    header: (t) => t.queue.auth,
    cell: (q, { w }) => (q.authMethod ? w(AUTH_METHOD_WORDING[q.authMethod]) : q.origin === 'manual' ? w(CHECKIN_ORIGIN_WORDING.manual) : dash),
  },
  {
    key: 'eligibility',
    header: (t) => t.queue.eligibility,
    cell: (q, { w }) =>
      q.eligibilityOutcome ? (
        <span className={q.eligibilityOutcome === 'valid' ? 'sc-ok' : 'sc-warn'}>{w(ELIGIBILITY_WORDING[q.eligibilityOutcome])}</span>
      ) : (
        dash
      ),
  },
  {
    key: 'documents',
    header: (t) => t.queue.documents,
    cell: (q, { w, list }) =>
      q.documents ? (
        <>
          {list(q.documents.map((d) => w(DOCUMENT_WORDING[d])))}
          {q.documentDecision && <span className="sc-cell-note">{w(DOCUMENT_DECISION_WORDING[q.documentDecision])}</span>}
        </>
      ) : (
        dash
      ),
  },
  {
    key: 'patient',
    header: (t) => t.queue.patientNumber,
    cell: (q) => (q.patientNumber ? <span className="sc-patient-number">{q.patientNumber}</span> : dash),
  },
  {
    key: 'notes',
    header: (t) => t.queue.notes,
    cell: (q, { w }) => {
      const notes = NOTE_FLAGS.filter((flag) => q.flags.includes(flag));
      return notes.length > 0 ? (
        <ul className="sc-inline-list">
          {notes.map((flag) => (
            <li key={flag} className={`sc-tag sc-tag--${flag}`}>
              {w(QUEUE_FLAG_WORDING[flag])}
            </li>
          ))}
        </ul>
      ) : null;
    },
  },
];

/** The receipt computer's column, shown while the agent sends check-ins to ORCA. */
function orcaColumn(orca: OrcaActions): Column {
  return {
    key: 'orca',
    header: (t) => t.queue.orca,
    cell: (q) => (q.orca ? <OrcaCell entry={q.orca} sessionId={q.sessionId} api={orca.api} onResult={orca.onResult} /> : dash),
  };
}

/** What the ORCA column needs to resend or cancel a 受付, and where a refusal is shown. */
export interface OrcaActions {
  api: StaffApi;
  onResult: (error?: AgentError) => void;
}

/** One check-in of today's queue. */
export function QueueRow({ entry, columns = QUEUE_COLUMNS }: { entry: QueueEntry; columns?: readonly Column[] }) {
  const words = useStaffText();
  return (
    <tr data-session-ref={shortRef(entry.sessionId)} data-status={entry.status}>
      {columns.map((column) => (
        <td key={column.key} data-column={column.key}>
          {column.cell(entry, words)}
        </td>
      ))}
    </tr>
  );
}

/** Today's check-ins, newest first: the desk looks at what just happened. */
export function QueueTable({ queue, captionId, orca }: { queue: readonly QueueEntry[]; captionId: string; orca?: OrcaActions }) {
  const { t } = useStaffText();
  const rows = [...queue].reverse();
  const columns = orca && queue.some((q) => q.orca) ? [...QUEUE_COLUMNS, orcaColumn(orca)] : QUEUE_COLUMNS;
  return (
    <table className="sc-queue" aria-labelledby={captionId}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col" data-column={column.key}>
              {column.header(t)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((entry) => (
          <QueueRow key={entry.sessionId} entry={entry} columns={columns} />
        ))}
      </tbody>
    </table>
  );
}
