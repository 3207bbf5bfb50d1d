import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  DOCUMENT_DECISION_WORDING,
  DOCUMENT_IDS,
  DOCUMENT_REASON_WORDING,
  DOCUMENT_WORDING,
  ELIGIBILITY_WORDING,
  INSURER_KIND_WORDING,
  PATIENT_GUIDANCE_WORDING,
  STAFF_CHECK_WORDING,
  type AgentError,
  type DocumentId,
  type ManualEntry,
  type ManualEntryResult,
} from '@kiosk/protocol';
import type { StaffApi } from './api.ts';
import { useStaffText } from './language.tsx';
import { errorWords } from './text.ts';

/** The documents whose printed expiry the rules weigh, in the order the form asks for them. */
const PRINTED_EXPIRY = ['shikaku_kakuninsho', 'old_hokensho', 'medical_ticket'] as const satisfies readonly DocumentId[];
type PrintedExpiryDocument = (typeof PRINTED_EXPIRY)[number];

/** A kiosk check-in the desk entry can finish, as the alert that asks for it describes it. */
export interface DeskTarget {
  sessionId: string;
  label: string;
}

/** What the desk entry opens with: the check-in it finishes and what the alert already tells (documents, 一件照会). */
export interface DeskStart {
  sessionId?: string;
  documents?: readonly DocumentId[];
  lookup?: boolean;
}

interface Draft {
  sessionId: string;
  documents: DocumentId[];
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  birthDate: string;
  expiry: Record<PrintedExpiryDocument, string>;
  cannotOperate: boolean;
  lookup: boolean;
}

function draftOf(start: DeskStart): Draft {
  return {
    sessionId: start.sessionId ?? '',
    documents: [...(start.documents ?? [])],
    insurerNumber: '',
    symbol: '',
    number: '',
    branch: '',
    birthDate: '',
    expiry: { shikaku_kakuninsho: '', old_hokensho: '', medical_ticket: '' },
    cannotOperate: false,
    lookup: start.lookup ?? false,
  };
}

/** The wire form: empty fields are left out, expiry dates only for documents presented. */
function entryOf(draft: Draft): ManualEntry {
  const text = (value: string) => value.trim() || undefined;
  const expiry = Object.fromEntries(PRINTED_EXPIRY.filter((d) => draft.documents.includes(d) && draft.expiry[d]).map((d) => [d, draft.expiry[d]]));
  const fields = {
    sessionId: text(draft.sessionId),
    insurerNumber: text(draft.insurerNumber),
    symbol: text(draft.symbol),
    number: text(draft.number),
    branch: text(draft.branch),
    birthDate: text(draft.birthDate),
  };
  return {
    documents: DOCUMENT_IDS.filter((d) => draft.documents.includes(d)),
    ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
    ...(Object.keys(expiry).length > 0 ? { printedExpiry: expiry } : {}),
    ...(draft.cannotOperate ? { patientCannotOperateReader: true } : {}),
    lookup: draft.lookup,
  };
}

/**
 * The desk's check-in: the documents presented, the insurance numbers, a 一件照会, and the rules' verdict
 * as staff type (preview), then saved with the next queue number. Opened from an alert, it finishes that
 * kiosk check-in; the kiosk then shows the patient the number while they are still there.
 */
export function DeskEntry({ api, start, targets, onClose }: { api: StaffApi; start: DeskStart; targets: readonly DeskTarget[]; onClose: () => void }) {
  const { t, w } = useStaffText();
  const ids = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const savedRef = useRef<HTMLDivElement>(null);
  const [draft, setDraft] = useState(() => draftOf(start));
  const [result, setResult] = useState<ManualEntryResult>();
  const [error, setError] = useState<AgentError | 'pick-documents'>();
  const [saving, setSaving] = useState(false);
  const previews = useRef(0);

  // Modal: the page behind is inert, Esc closes it. Taken out of the page, it closes by itself.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  // The rules' verdict follows every change; an answer to an older draft is dropped.
  useEffect(() => {
    if (draft.documents.length === 0) return;
    const asked = ++previews.current;
    void api.preview(entryOf(draft)).then((reply) => {
      if (asked !== previews.current) return;
      if (reply.ok) {
        setResult(reply.data);
        setError(undefined);
      } else setError(reply.error);
    });
  }, [api, draft]);

  useEffect(() => {
    if (result?.saved) savedRef.current?.focus();
  }, [result?.saved]);

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    if (result?.saved) setResult(undefined);
  };
  const toggleDocument = (id: DocumentId, on: boolean) => change({ documents: on ? [...draft.documents, id] : draft.documents.filter((d) => d !== id) });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    if (draft.documents.length === 0) return setError('pick-documents');
    setSaving(true);
    previews.current++;
    const reply = await api.save(entryOf(draft));
    setSaving(false);
    if (reply.ok) {
      setResult(reply.data);
      setError(undefined);
      setDraft(draftOf({}));
    } else setError(reply.error);
  };

  const shownResult = draft.documents.length > 0 || result?.saved ? result : undefined;
  const insurer = draft.insurerNumber.trim() ? shownResult?.insurerNumber : null;
  const expiryShown = PRINTED_EXPIRY.filter((d) => draft.documents.includes(d));
  const id = (name: string) => `${ids}-${name}`;

  return (
    <dialog ref={dialog} className="sc-dialog" aria-labelledby={id('title')} onClose={onClose} data-testid="desk-entry">
      <form className="sc-entry" onSubmit={(e) => void submit(e)} noValidate>
        <header className="sc-dialog__head">
          <h2 id={id('title')}>{t.entry.heading}</h2>
          <button type="button" className="sc-button sc-button--quiet" onClick={onClose}>
            {t.entry.close}
          </button>
        </header>

        <div className="sc-entry__grid">
          <div className="sc-entry__col">
            <label className="sc-field">
              <span className="sc-field__label">{t.entry.linked}</span>
              <select value={draft.sessionId} onChange={(e) => change({ sessionId: e.target.value })} name="sessionId">
                <option value="">{t.entry.notLinked}</option>
                {targets.map((target) => (
                  <option key={target.sessionId} value={target.sessionId}>
                    {target.label}
                  </option>
                ))}
              </select>
            </label>

            <fieldset className="sc-fieldset">
              <legend>{t.entry.documents}</legend>
              <div className="sc-checks">
                {DOCUMENT_IDS.map((doc) => (
                  <label key={doc} className="sc-check">
                    <input
                      type="checkbox"
                      name="documents"
                      value={doc}
                      checked={draft.documents.includes(doc)}
                      onChange={(e) => toggleDocument(doc, e.target.checked)}
                    />
                    <span>{w(DOCUMENT_WORDING[doc])}</span>
                  </label>
                ))}
              </div>
            </fieldset>

            {expiryShown.length > 0 && (
              <fieldset className="sc-fieldset">
                <legend>{t.entry.expiries}</legend>
                <div className="sc-row">
                  {expiryShown.map((doc) => (
                    <label key={doc} className="sc-field">
                      <span className="sc-field__label">{t.entry.expiry[doc]}</span>
                      <input
                        type="date"
                        name={`expiry-${doc}`}
                        value={draft.expiry[doc]}
                        onChange={(e) => change({ expiry: { ...draft.expiry, [doc]: e.target.value } })}
                      />
                    </label>
                  ))}
                </div>
              </fieldset>
            )}
          </div>

          <div className="sc-entry__col">
            <fieldset className="sc-fieldset">
              <legend>{t.entry.insurance}</legend>
              <div className="sc-row">
                <label className="sc-field sc-field--insurer">
                  <span className="sc-field__label">{t.entry.insurerNumber}</span>
                  <input
                    name="insurerNumber"
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={8}
                    value={draft.insurerNumber}
                    aria-describedby={id('insurer')}
                    aria-invalid={insurer?.valid === false || undefined}
                    onChange={(e) => change({ insurerNumber: e.target.value })}
                  />
                </label>
                <label className="sc-field">
                  <span className="sc-field__label">{t.entry.symbol}</span>
                  <input name="symbol" autoComplete="off" maxLength={40} value={draft.symbol} onChange={(e) => change({ symbol: e.target.value })} />
                </label>
                <label className="sc-field">
                  <span className="sc-field__label">{t.entry.number}</span>
                  <input name="number" autoComplete="off" maxLength={40} value={draft.number} onChange={(e) => change({ number: e.target.value })} />
                </label>
                <label className="sc-field sc-field--short">
                  <span className="sc-field__label">{t.entry.branch}</span>
                  <input
                    name="branch"
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={2}
                    value={draft.branch}
                    onChange={(e) => change({ branch: e.target.value })}
                  />
                </label>
              </div>
              <p id={id('insurer')} className={`sc-hint ${insurer ? (insurer.valid ? 'sc-ok' : 'sc-bad') : ''}`} data-testid="insurer-check">
                {insurer ? (insurer.valid ? t.entry.insurerOk(insurer.kind ? w(INSURER_KIND_WORDING[insurer.kind]) : '') : t.entry.insurerBad) : ''}
              </p>
              <label className="sc-field">
                <span className="sc-field__label">{t.entry.birthDate}</span>
                <input
                  type="date"
                  name="birthDate"
                  value={draft.birthDate}
                  aria-describedby={id('birth')}
                  onChange={(e) => change({ birthDate: e.target.value })}
                />
              </label>
              <p id={id('birth')} className="sc-hint">
                {t.entry.birthDateHint}
              </p>
            </fieldset>

            <div className="sc-checks sc-checks--options">
              <label className="sc-check">
                <input
                  type="checkbox"
                  name="lookup"
                  checked={draft.lookup}
                  aria-describedby={id('lookup')}
                  onChange={(e) => change({ lookup: e.target.checked })}
                />
                <span>
                  {t.entry.lookup}
                  <span id={id('lookup')} className="sc-hint">
                    {t.entry.lookupHint}
                  </span>
                </span>
              </label>
              <label className="sc-check">
                <input type="checkbox" name="cannotOperate" checked={draft.cannotOperate} onChange={(e) => change({ cannotOperate: e.target.checked })} />
                <span>{t.entry.cannotOperate}</span>
              </label>
            </div>
          </div>
        </div>

        <div role="status" className="sc-entry__result" data-testid="desk-result">
          {shownResult && <Verdict result={shownResult} savedRef={savedRef} />}
        </div>
        {error && (
          <p role="alert" className="sc-error">
            {error === 'pick-documents' ? t.entry.pickDocuments : errorWords(t, error)}
          </p>
        )}

        <footer className="sc-dialog__foot">
          <button type="submit" className="sc-button sc-button--primary sc-button--large" aria-disabled={saving || undefined}>
            {t.entry.save}
          </button>
        </footer>
      </form>
    </dialog>
  );
}

function Verdict({ result, savedRef }: { result: ManualEntryResult; savedRef: React.RefObject<HTMLDivElement | null> }) {
  const { t, w } = useStaffText();
  const { decision } = result;
  return (
    <div className={`sc-verdict sc-verdict--${decision.decision}`}>
      {result.saved && (
        <div className="sc-saved" ref={savedRef} tabIndex={-1} data-testid="desk-saved">
          <p>{t.entry.saved}</p>
          {result.saved.queueNumber !== undefined ? (
            <p>
              {t.entry.savedNumber} <strong className="sc-queue-number">{result.saved.queueNumber}</strong>
            </p>
          ) : (
            <p>{t.entry.savedNoNumber}</p>
          )}
        </div>
      )}
      <p className="sc-verdict__decision">
        {t.entry.verdict}: <strong data-decision={decision.decision}>{w(DOCUMENT_DECISION_WORDING[decision.decision])}</strong>
      </p>
      {decision.reasons.length > 0 && (
        <>
          <h3>{t.entry.reasons}</h3>
          <ul>
            {decision.reasons.map((reason) => (
              <li key={reason}>{w(DOCUMENT_REASON_WORDING[reason])}</li>
            ))}
          </ul>
        </>
      )}
      {decision.staffChecks.length > 0 && (
        <>
          <h3>{t.entry.checks}</h3>
          <ul className="sc-checklist">
            {decision.staffChecks.map((check) => (
              <li key={check}>{w(STAFF_CHECK_WORDING[check])}</li>
            ))}
          </ul>
        </>
      )}
      <h3>{t.entry.guidance}</h3>
      <p>{w(PATIENT_GUIDANCE_WORDING[decision.patientGuidance])}</p>
      {result.lookup && <p>{t.entry.lookupResult(w(ELIGIBILITY_WORDING[result.lookup.outcome]), result.lookup.copayPercent)}</p>}
    </div>
  );
}
