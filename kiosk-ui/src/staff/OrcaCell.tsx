import { useState } from 'react';
import { ORCA_ACTION_WORDING, ORCA_ATTENTION_WORDING, ORCA_STATE_WORDING, type OrcaEntry } from '@kiosk/protocol';
import type { StaffApi } from './api.ts';

/**
 * A check-in's 受付 in ORCA: the state in words (送信済み, 送信待ち, 要確認 with ORCA's message, 取消済み),
 * the candidates' 患者番号 when staff must choose, and the resend / cancel actions.
 */
export function OrcaCell({ entry, sessionId, api, onResult }: { entry: OrcaEntry; sessionId: string; api: StaffApi; onResult: (error?: string) => void }) {
  const [patientId, setPatientId] = useState('');
  const act = async (type: 'orca-resend' | 'orca-cancel') => {
    const r = await api.orcaAction(type, sessionId, type === 'orca-resend' && patientId ? patientId : undefined);
    onResult(r.ok ? undefined : `${r.error.code}: ${r.error.message}`);
  };
  const words = ORCA_STATE_WORDING[entry.state];
  const reason = entry.reason ? ORCA_ATTENTION_WORDING[entry.reason] : undefined;
  return (
    <div className="orca" data-testid={`orca-${sessionId}`}>
      <strong>
        {words.ja} / {words.en}
      </strong>
      {reason && (
        <div>
          {reason.ja} / {reason.en}
        </div>
      )}
      {entry.message && (
        <div>
          <small>
            {entry.apiResult ? `${entry.apiResult} ` : ''}
            {entry.message}
          </small>
        </div>
      )}
      {entry.candidates && (
        <div>
          候補 / Candidates:{' '}
          {entry.candidates.map((id) => (
            <button key={id} type="button" onClick={() => setPatientId(id)}>
              {id}
            </button>
          ))}
        </div>
      )}
      {entry.actions.includes('orca-resend') && (
        <input aria-label="患者番号 / Patient number" inputMode="numeric" value={patientId} onChange={(e) => setPatientId(e.target.value.trim())} size={8} />
      )}
      {entry.actions.map((type) => (
        <button key={type} type="button" onClick={() => void act(type)}>
          {ORCA_ACTION_WORDING[type].ja} / {ORCA_ACTION_WORDING[type].en}
        </button>
      ))}
    </div>
  );
}
