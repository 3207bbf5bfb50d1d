import { useState } from 'react';
import { ORCA_ACTION_WORDING, ORCA_ATTENTION_WORDING, ORCA_STATE_WORDING, type AgentError, type OrcaEntry } from '@kiosk/protocol';
import type { StaffApi } from './api.ts';
import { useStaffText } from './language.tsx';

/**
 * A check-in's 受付 in ORCA: the state in words (送信済み, 送信待ち, 要確認 with ORCA's message, 取消済み),
 * the candidates' 患者番号 when staff must choose, and the resend / cancel actions the agent offers.
 */
export function OrcaCell({ entry, sessionId, api, onResult }: { entry: OrcaEntry; sessionId: string; api: StaffApi; onResult: (error?: AgentError) => void }) {
  const { t, w } = useStaffText();
  const [patientId, setPatientId] = useState('');
  const act = async (type: 'orca-resend' | 'orca-cancel') => {
    const reply = await api.orcaAction(type, sessionId, type === 'orca-resend' && patientId ? patientId : undefined);
    onResult(reply.ok ? undefined : reply.error);
  };
  const tone = entry.state === 'sent' ? 'sc-ok' : entry.state === 'attention' ? 'sc-warn' : undefined;
  return (
    <div className="sc-orca" data-testid={`orca-${sessionId}`}>
      <span className={tone}>{w(ORCA_STATE_WORDING[entry.state])}</span>
      {entry.reason && <span className="sc-cell-note">{w(ORCA_ATTENTION_WORDING[entry.reason])}</span>}
      {entry.message && (
        <span className="sc-cell-note">
          {entry.apiResult ? `${entry.apiResult} ` : ''}
          {entry.message}
        </span>
      )}
      {entry.candidates && (
        <span className="sc-cell-note">
          {t.queue.orcaCandidates}:{' '}
          {entry.candidates.map((id) => (
            <button key={id} type="button" className="sc-button sc-button--quiet" aria-pressed={patientId === id} onClick={() => setPatientId(id)}>
              {id}
            </button>
          ))}
        </span>
      )}
      {entry.actions.includes('orca-resend') && (
        <input
          className="sc-orca__patient"
          aria-label={t.queue.orcaPatientNumber}
          inputMode="numeric"
          value={patientId}
          onChange={(e) => setPatientId(e.target.value.trim())}
          size={8}
        />
      )}
      {entry.actions.map((type) => (
        <button key={type} type="button" className="sc-button" data-action={type} onClick={() => void act(type)}>
          {w(ORCA_ACTION_WORDING[type])}
        </button>
      ))}
    </div>
  );
}
