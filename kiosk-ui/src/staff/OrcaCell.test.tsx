import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from '@testing-library/react';
import { ORCA_ATTENTION_WORDING, ORCA_STATE_WORDING } from '@kiosk/protocol';
import type { StaffApi } from './api.ts';
import { OrcaCell } from './OrcaCell.tsx';

afterEach(cleanup);

const refused = { code: 'INPUT_NOT_ALLOWED_NOW' as const, message: 'no', retriable: false };
const apiWith = (orcaAction: StaffApi['orcaAction']) => ({ orcaAction }) as unknown as StaffApi;

describe('the ORCA cell of a check-in', () => {
  it('says 要確認 with the reason, offers the candidates, and resends for the one chosen', async () => {
    const orcaAction = vi.fn<StaffApi['orcaAction']>().mockResolvedValue({ ok: true, data: null });
    render(
      <OrcaCell
        entry={{ state: 'attention', reason: 'choose-patient', candidates: ['00012', '00013'], actions: ['orca-resend', 'orca-cancel'] }}
        sessionId="s1"
        api={apiWith(orcaAction)}
        onResult={() => {}}
      />,
    );
    expect(screen.getByText(ORCA_STATE_WORDING.attention.ja)).toBeTruthy();
    expect(screen.getByText(ORCA_ATTENTION_WORDING['choose-patient'].ja)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '00013' }));
    fireEvent.click(screen.getByRole('button', { name: /再送/ }));
    await waitFor(() => expect(orcaAction).toHaveBeenCalledWith('orca-resend', 's1', '00013'));
  });

  it('says 送信済み with only the cancel action, and shows a refused action', async () => {
    const onResult = vi.fn();
    const orcaAction = vi.fn<StaffApi['orcaAction']>().mockResolvedValue({ ok: false, error: refused });
    render(
      <OrcaCell entry={{ state: 'sent', acceptanceId: '00001', actions: ['orca-cancel'] }} sessionId="s2" api={apiWith(orcaAction)} onResult={onResult} />,
    );
    expect(screen.getByText(/送信済み/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: /再送/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /受付取消/ }));
    await waitFor(() => expect(onResult).toHaveBeenCalledWith(refused));
    expect(orcaAction).toHaveBeenCalledWith('orca-cancel', 's2', undefined);
  });
});
