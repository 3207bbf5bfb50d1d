import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ALERT_ACTION_WORDING,
  ALERT_KIND_WORDING,
  DOCUMENT_REASON_WORDING,
  PATIENT_GUIDANCE_WORDING,
  STAFF_CHECK_WORDING,
  type Alert,
  type QueueEntry,
  type RulesInfo,
  type StaffBoard,
} from '@kiosk/protocol';
import { createChime } from './chime.ts';
import { StaffApp } from './StaffApp.tsx';

// The desk PC's browser in another zone than Japan's: every time on the console must still be Japan time.
process.env.TZ = 'America/New_York';

/** The staff socket double: the console subscribes to it; tests push boards and answer actions through it. */
const socket = vi.hoisted(() => {
  const listeners = new Map<string, (payload: unknown) => void>();
  const emitted: Array<{ event: string; payload: unknown }> = [];
  return {
    listeners,
    emitted,
    options: [] as unknown[],
    connected: true,
    answer: (_payload: unknown): unknown => ({ ok: true }),
    on(event: string, listener: (payload: unknown) => void) {
      listeners.set(event, listener);
    },
    timeout() {
      return {
        emit: (event: string, payload: unknown, ack: (timedOut: Error | null, reply: unknown) => void) => {
          emitted.push({ event, payload });
          queueMicrotask(() => ack(null, socket.answer(payload)));
        },
      };
    },
    close: vi.fn(),
  };
});
vi.mock('socket.io-client', () => ({
  io: (path: string, options: unknown) => {
    socket.options.push({ path, options });
    return socket;
  },
}));

type Call = { method: string; path: string; body?: unknown; csrf?: string };
type Handler = (call: Call) => { ok: boolean; data?: unknown; error?: { code: string; message: string; retriable: boolean; details?: object } };

/** The agent's HTTP API double: records every call, answers through `handle`. */
let calls: Call[];
let handle: Handler;
const signedIn: Handler = ({ path }) => (path === '/session' ? { ok: true, data: { username: 'desk1', csrfToken: 'csrf-1' } } : { ok: true, data: null });
const agentError = (code: string, details?: object) => ({ code, message: 'x', retriable: false, ...(details ? { details } : {}) });
let chime: { play: ReturnType<typeof vi.fn<() => void>>; close: () => void };

beforeEach(() => {
  calls = [];
  handle = signedIn;
  chime = { play: vi.fn<() => void>(), close: () => {} };
  socket.listeners.clear();
  socket.emitted.length = 0;
  socket.options.length = 0;
  socket.answer = () => ({ ok: true });
  window.localStorage.clear();
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const call: Call = {
      method: init.method ?? 'GET',
      path: url.replace('/staff/api', ''),
      ...(init.body ? { body: JSON.parse(String(init.body)) } : {}),
      ...(headers['x-csrf-token'] ? { csrf: headers['x-csrf-token'] } : {}),
    };
    calls.push(call);
    return new Response(JSON.stringify(handle(call)), { headers: { 'content-type': 'application/json' } });
  });
});
afterEach(() => vi.unstubAllGlobals());

const board = (patch: Partial<StaffBoard> = {}): StaffBoard => ({
  day: '2025-10-01',
  queue: [],
  alerts: [],
  reader: { driver: 'mock', service: 'ok', readers: [{ name: 'r', driver: 'mock', state: 'empty' }] },
  kiosk: { sessionId: null, step: 'welcome' },
  ...patch,
});

const alert = (patch: Partial<Alert> & Pick<Alert, 'kind'>): Alert => ({
  id: `session:${patch.sessionId ?? patch.kind}`,
  sessionId: `sess-${patch.kind}`,
  since: '2025-10-01T09:00:00+09:00',
  live: false,
  actions: ['desk-entry', 'dismiss'],
  ...patch,
});

/**
 * The console opens its socket in an effect, which React may run after the signed-in screen is already
 * shown (a loaded runner showed it): wait for the socket's board listener, not only for the screen.
 */
async function boardListener(): Promise<(b: unknown) => void> {
  return waitFor(() => {
    const listener = socket.listeners.get('staff:board');
    if (!listener) throw new Error('the console has not subscribed to staff:board yet');
    return listener;
  });
}

async function signedInConsole(first: StaffBoard = board()) {
  render(<StaffApp chime={chime} />);
  await screen.findByText('desk1');
  const listener = await boardListener();
  act(() => listener(first));
  return { push: (next: unknown) => act(() => listener(next)) };
}

const posted = (path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);
const actionsSent = () => socket.emitted.filter((e) => e.event === 'staff:action').map((e) => e.payload);
const cards = () =>
  within(screen.getByRole('region', { name: /対応が必要/ }))
    .queryAllByRole('listitem')
    .filter((li) => li.hasAttribute('data-alert'));

describe('sign-in', () => {
  it('asks in Japanese, refuses a wrong password in words, then opens the console on the /staff socket with the CSRF token', async () => {
    handle = ({ path, body }) => {
      if (path === '/session') return { ok: false, error: agentError('TRANSPORT_UNAUTHORIZED') };
      const { password } = body as { password: string };
      if (password === 'correct horse battery') return { ok: true, data: { username: 'desk1', csrfToken: 'csrf-9' } };
      return { ok: false, error: agentError('TRANSPORT_UNAUTHORIZED') };
    };
    render(<StaffApp chime={chime} />);
    fireEvent.change(await screen.findByLabelText('ユーザー名'), { target: { value: 'desk1' } });
    fireEvent.change(screen.getByLabelText('パスワード'), { target: { value: 'wrong-password' } });
    fireEvent.click(screen.getByRole('button', { name: 'サインイン' }));
    expect((await screen.findByRole('alert')).textContent).toBe('ユーザー名かパスワードが違います。');
    expect(socket.options).toEqual([]);

    fireEvent.change(screen.getByLabelText('パスワード'), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: 'サインイン' }));
    await screen.findByText('desk1');
    expect(posted('/login').map((c) => c.body)).toEqual([
      { username: 'desk1', password: 'wrong-password' },
      { username: 'desk1', password: 'correct horse battery' },
    ]);
    await boardListener();
    expect(socket.options).toEqual([{ path: '/staff', options: expect.objectContaining({ auth: { csrfToken: 'csrf-9' } }) }]);
  });

  it('says how long to wait when the login is throttled', async () => {
    handle = () => ({ ok: false, error: agentError('TRANSPORT_RATE_LIMITED', { retryAfterSeconds: 300 }) });
    render(<StaffApp chime={chime} />);
    fireEvent.change(await screen.findByLabelText('ユーザー名'), { target: { value: 'desk1' } });
    fireEvent.change(screen.getByLabelText('パスワード'), { target: { value: 'whatever-it-is' } });
    fireEvent.click(screen.getByRole('button', { name: 'サインイン' }));
    expect((await screen.findByRole('alert')).textContent).toContain('5分ほど待って');
  });

  it('switches to English and remembers it on this PC', async () => {
    handle = () => ({ ok: false, error: agentError('TRANSPORT_UNAUTHORIZED') });
    const first = render(<StaffApp chime={chime} />);
    fireEvent.click(await screen.findByRole('button', { name: 'English' }));
    expect(screen.getByLabelText('User name')).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    first.unmount();
    render(<StaffApp chime={chime} />);
    expect(await screen.findByLabelText('User name')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
  });
});

describe('the queue', () => {
  const rows: QueueEntry[] = [
    {
      sessionId: '0a1b2c3d-0000-4000-8000-000000000001',
      status: 'completed',
      origin: 'card',
      startedAt: '2025-10-01T09:00:00+09:00',
      queueNumber: 7,
      authMethod: 'pin',
      eligibilityOutcome: 'valid',
      newPatient: true,
      patientNumber: '000123',
      flags: ['new-patient'],
    },
    {
      sessionId: '9f8e7d6c-0000-4000-8000-000000000002',
      status: 'staff',
      origin: 'card',
      startedAt: '2025-10-01T09:05:00+09:00',
      newPatient: false,
      staffReason: 'pin-blocked',
      flags: [],
    },
    {
      sessionId: '5e4d3c2b-0000-4000-8000-000000000003',
      status: 'fallback',
      origin: 'card',
      startedAt: '2025-10-01T00:10:00Z',
      newPatient: false,
      staffReason: 'fallback-documents',
      documents: ['shikaku_kakuninsho', 'shikaku_joho_oshirase'],
      documentDecision: 'conditional',
      flags: [],
    },
  ];

  it('says status, reason, identity, insurance and documents in words, newest first, in Japan time, with no session id', async () => {
    expect(new Date('2025-10-01T09:00:00+09:00').getHours()).not.toBe(9); // the zone here is not Japan's
    await signedInConsole(board({ queue: rows }));
    const table = screen.getByRole('table');
    const cells = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      );
    expect(cells).toEqual([
      ['番号なし参照 5E4D', '09:10', '書類で受付', '—', '—', '資格確認書、資格情報のお知らせ確認後に受付可', '—', ''],
      ['番号なし参照 9F8E', '09:05', '係員対応暗証番号がロックされています', '—', '—', '—', '—', ''],
      ['7', '09:00', '受付済み', '暗証番号', '有効', '—', '000123', '新患'],
    ]);
    const text = document.body.textContent ?? '';
    for (const code of ['completed', 'pin-blocked', 'fallback', 'shikaku_kakuninsho', 'valid', 'new-patient']) expect(text).not.toContain(code);
    for (const row of rows) expect(text).not.toContain(row.sessionId.slice(0, 8));
    expect(screen.getByText('2025年10月1日(水)')).toBeTruthy();
  });

  it('says the same in English', async () => {
    window.localStorage.setItem('kiosk-staff:language', 'en');
    await signedInConsole(board({ queue: rows.slice(0, 1) }));
    const cells = within(screen.getByRole('table'))
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells).toEqual(['7', '09:00', 'Checked in', 'PIN', 'Valid', '—', '000123', 'New patient']);
  });
});

describe('alerts', () => {
  it('are sorted by urgency: the patient at the kiosk, an outage, then the longest waiting, a restart last', async () => {
    await signedInConsole(
      board({
        alerts: [
          alert({ kind: 'agent-restarted', since: '2025-10-01T08:00:00+09:00' }),
          alert({ kind: 'pin-blocked', since: '2025-10-01T09:10:00+09:00' }),
          alert({ kind: 'fallback-documents', since: '2025-10-01T09:01:00+09:00' }),
          alert({
            kind: 'visual-check',
            live: true,
            since: '2025-10-01T09:20:00+09:00',
            actions: ['approve-visual', 'decline-visual', 'take-over', 'dismiss'],
          }),
          { id: 'system:reader-down', kind: 'reader-down', sessionId: null, since: '2025-10-01T09:15:00+09:00', live: false, actions: [] },
        ],
      }),
    );
    expect(cards().map((c) => c.getAttribute('data-kind'))).toEqual(['visual-check', 'reader-down', 'fallback-documents', 'pin-blocked', 'agent-restarted']);
    expect(cards()[0]!.textContent).toContain('受付機の前でお待ちです');
  });

  it('announce each arrival with the chime, a highlight and the live region, not the board found at sign-in; the mute is remembered', async () => {
    const { push } = await signedInConsole(board({ alerts: [alert({ kind: 'pin-blocked' })] }));
    expect(chime.play).not.toHaveBeenCalled();
    expect(screen.queryByText('新着')).toBeNull();

    push(board({ alerts: [alert({ kind: 'pin-blocked' }), alert({ kind: 'visual-check', live: true, actions: ['approve-visual', 'dismiss'] })] }));
    expect(chime.play).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('announcer').textContent).toBe('新しい対応：目視確認の依頼');
    const fresh = cards().find((c) => c.getAttribute('data-kind') === 'visual-check')!;
    expect(fresh.className).toContain('sc-alert--fresh');
    expect(within(fresh).getByText('新着')).toBeTruthy();
    expect(cards().find((c) => c.getAttribute('data-kind') === 'pin-blocked')!.className).not.toContain('sc-alert--fresh');

    const sound = screen.getByRole('button', { name: /通知音/ });
    expect(sound.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(sound);
    expect(sound.getAttribute('aria-pressed')).toBe('false');
    expect(window.localStorage.getItem('kiosk-staff:sound')).toBe('off');
    push(board({ alerts: [alert({ kind: 'pin-blocked' }), alert({ kind: 'insurance-pending' })] }));
    expect(chime.play).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('announcer').textContent).toBe(`新しい対応：${ALERT_KIND_WORDING['insurance-pending'].ja}`);
  });

  it('offer exactly the actions the agent sent, in words; an outage has none and says it clears itself', async () => {
    await signedInConsole(
      board({
        alerts: [
          alert({ kind: 'visual-check', live: true, actions: ['approve-visual', 'decline-visual', 'take-over', 'dismiss'] }),
          alert({ kind: 'pin-blocked', actions: ['desk-entry', 'dismiss'] }),
          { id: 'system:no-reader', kind: 'no-reader', sessionId: null, since: '2025-10-01T09:00:00+09:00', live: false, actions: [] },
        ],
      }),
    );
    const labels = cards().map((c) =>
      within(c)
        .queryAllByRole('button')
        .map((b) => b.textContent),
    );
    expect(labels).toEqual([
      ['approve-visual', 'decline-visual', 'take-over', 'dismiss'].map((a) => ALERT_ACTION_WORDING[a as 'dismiss'].ja),
      [],
      [ALERT_ACTION_WORDING['desk-entry'].ja, ALERT_ACTION_WORDING.dismiss.ja],
    ]);
    expect(cards()[1]!.textContent).toContain('直ると自動で消えます');
  });

  it('send an action on the staff socket and say a refusal in words, never its code', async () => {
    await signedInConsole(
      board({
        alerts: [alert({ kind: 'visual-check', sessionId: 's-9', id: 'session:s-9', live: true, actions: ['approve-visual', 'decline-visual', 'dismiss'] })],
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: /目視OK/ }));
    await vi.waitFor(() => expect(actionsSent()).toEqual([{ type: 'approve-visual', alertId: 'session:s-9', sessionId: 's-9' }]));
    // Done: the keyboard goes on from the list's heading.
    await vi.waitFor(() => expect(document.activeElement?.id).toBe('alerts-h'));

    socket.answer = () => ({ ok: false, error: agentError('INPUT_STALE_SESSION') });
    fireEvent.click(screen.getByRole('button', { name: '目視NG' }));
    expect((await screen.findByRole('alert')).textContent).toBe('この患者さんは、もう受付機を操作していません。');
    expect(document.body.textContent).not.toContain('INPUT_STALE_SESSION');
  });

  it('desk entry from an insurance-pending alert: linked to its check-in, マイナ保険証 + お知らせ and 一件照会 preset, the number shown once saved', async () => {
    await signedInConsole(board({ alerts: [alert({ kind: 'insurance-pending', sessionId: 'abcd1234-pending', id: 'session:abcd1234-pending' })] }));
    handle = (call) => {
      if (call.path === '/manual-entry/preview' || call.path === '/manual-entry')
        return {
          ok: true,
          data: {
            decision: {
              decision: 'accepted',
              documents: ['myna_card', 'shikaku_joho_oshirase'],
              reasons: ['card-with-notice-fallback'],
              staffChecks: [],
              patientGuidance: 'card-with-notice-accepted',
            },
            insurerNumber: { valid: true, kind: 'kokuho' },
            ...(call.path === '/manual-entry'
              ? { lookup: { outcome: 'valid', copayPercent: 30 }, saved: { entryId: 1, sessionId: 'manual-1', queueNumber: 12 } }
              : {}),
          },
        };
      return signedIn(call);
    };
    fireEvent.click(screen.getByRole('button', { name: '窓口で受付' }));
    const dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByLabelText('マイナ保険証') as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByLabelText('資格情報のお知らせ') as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByLabelText(/一件照会を行う/) as HTMLInputElement).checked).toBe(true);
    const linked = within(dialog).getByLabelText('対象の受付') as HTMLSelectElement;
    expect(linked.value).toBe('abcd1234-pending');
    expect(linked.selectedOptions[0]!.textContent).toBe('09:00 本人確認済み・保険資格は窓口で確認（参照 ABCD）');

    fireEvent.change(within(dialog).getByLabelText('保険者番号'), { target: { value: '06139984' } });
    fireEvent.change(within(dialog).getByLabelText('番号'), { target: { value: '1234' } });
    fireEvent.change(within(dialog).getByLabelText('生年月日'), { target: { value: '1980-04-01' } });
    await vi.waitFor(() => expect(within(dialog).getByTestId('insurer-check').textContent).toBe('検証番号OK（国民健康保険）'));
    fireEvent.click(within(dialog).getByRole('button', { name: '保存して受付する' }));
    await vi.waitFor(() => expect(within(dialog).getByTestId('desk-saved').textContent).toContain('受付番号 12'));
    expect(posted('/manual-entry').map((c) => c.body)).toEqual([
      {
        sessionId: 'abcd1234-pending',
        documents: ['myna_card', 'shikaku_joho_oshirase'],
        insurerNumber: '06139984',
        number: '1234',
        birthDate: '1980-04-01',
        lookup: true,
      },
    ]);
    expect(within(dialog).getByTestId('desk-result').textContent).toContain('一件照会：有効（負担割合 3割）');
  });

  it('refuses a board that does not match the protocol and keeps the last good one', async () => {
    const { push } = await signedInConsole(board({ alerts: [alert({ kind: 'pin-blocked' })] }));
    push({ ...board(), alerts: [{ id: 'x', kind: 'no-such-kind' }] });
    expect(screen.getByRole('alert').textContent).toContain('読めないデータ');
    expect(cards().map((c) => c.getAttribute('data-kind'))).toEqual(['pin-blocked']);
  });
});

describe('terminal review items', () => {
  it('are listed apart in words, with their candidate check-ins by time and reference, and resolved by alert id', async () => {
    await signedInConsole(
      board({
        queue: [{ sessionId: 'aaaa1111', status: 'in-progress', origin: 'card', startedAt: '2025-10-01T09:58:00+09:00', newPatient: false, flags: [] }],
        reviews: [
          {
            id: 'oqs:1',
            kind: 'review',
            reason: 'same-second',
            outcome: 'valid',
            sessionIds: ['aaaa1111', 'bbbb2222'],
            since: '2025-10-01T00:59:00.000Z',
            actions: ['take-over', 'dismiss'],
          },
          { id: 'oqs:2', kind: 'walk-in', sessionIds: [], since: '2025-10-01T01:00:00.000Z', actions: ['take-over', 'dismiss'] },
        ],
      }),
    );
    const section = screen.getByRole('region', { name: /資格確認端末の結果/ });
    expect(section.textContent).toContain('同じ秒に複数の受付');
    expect(section.textContent).toContain('09:58の受付（参照 AAAA）');
    expect(section.textContent).toContain('09:59');
    expect(section.textContent).not.toContain('same-second');
    fireEvent.click(within(section).getAllByRole('button', { name: '窓口で照合済み' })[0]!);
    fireEvent.click(within(section).getAllByRole('button', { name: '破棄' })[1]!);
    await vi.waitFor(() =>
      expect(actionsSent()).toEqual([
        { type: 'take-over', alertId: 'oqs:1' },
        { type: 'dismiss', alertId: 'oqs:2' },
      ]),
    );
  });

  it('has no review section when the driver keeps no review queue', async () => {
    await signedInConsole();
    expect(screen.queryByRole('region', { name: /資格確認端末の結果/ })).toBeNull();
  });
});

describe('the rest of the board', () => {
  it('says plainly when the board is the demonstration, and only then', async () => {
    const { push } = await signedInConsole(board({ demo: true }));
    expect(screen.getByTestId('demo-note').textContent).toContain('架空の患者');
    push(board());
    expect(screen.queryByTestId('demo-note')).toBeNull();
  });

  it('shows the reader and kiosk state in words', async () => {
    const { push } = await signedInConsole(board({ kiosk: { sessionId: 's', step: 'visual-check' } }));
    expect(screen.getByTestId('reader').textContent).toBe('カードリーダー: 使用可');
    expect(screen.getByTestId('kiosk').textContent).toBe('受付機: 係員を待っています');
    push(board({ reader: { driver: 'pcsc', service: 'unavailable', readers: [] } }));
    expect(screen.getByTestId('reader').textContent).toBe('カードリーダー: 使用不可');
    expect(screen.getByTestId('kiosk').textContent).toBe('受付機: 待機中');
  });

  describe('the rules edition', () => {
    const rules = (patch: Partial<RulesInfo> = {}): RulesInfo => ({
      edition: { checkedOn: '2026-12-02', sources: [{ title: 'MHLW 事務連絡', date: '2025-11-12' }, { title: 'undated page' }] },
      maxAgeDays: 120,
      ...patch,
    });

    it('shows the edition, its age and its sources, without a warning while it is young enough', async () => {
      await signedInConsole(board({ day: '2027-04-01', rules: rules() }));
      expect(screen.getByTestId('rules-edition').textContent).toBe('2026-12-02 確認（120日前）');
      expect(screen.getByText(/MHLW 事務連絡/).textContent).toContain('2025-11-12');
      expect(screen.queryByTestId('rules-stale')).toBeNull();
      expect(screen.queryByTestId('rules-override')).toBeNull();
    });

    it("warns once the edition is older than the configured age, counted to the board's day", async () => {
      const { push } = await signedInConsole(board({ day: '2027-04-02', rules: rules() }));
      expect(screen.getByTestId('rules-stale').textContent).toContain('120');
      push(board({ day: '2027-01-01', rules: rules({ maxAgeDays: 30 }) }));
      expect(screen.queryByTestId('rules-stale')).toBeNull();
      push(board({ day: '2027-01-02', rules: rules({ maxAgeDays: 30 }) }));
      expect(screen.getByTestId('rules-stale').textContent).toContain('30');
    });

    it('says when a clinic override is active, and which fields it sets', async () => {
      await signedInConsole(board({ day: '2026-12-03', rules: rules({ override: { fields: ['temporaryHandling.lastDay'] } }) }));
      expect(screen.getByTestId('rules-override').textContent).toContain('temporaryHandling.lastDay');
    });
  });

  it('links the CSV and JSON exports of today', async () => {
    await signedInConsole();
    expect(screen.getByRole('link', { name: 'CSVで書き出し' }).getAttribute('href')).toBe('/staff/api/export?format=csv');
    expect(screen.getByRole('link', { name: 'JSONで書き出し' }).getAttribute('href')).toBe('/staff/api/export?format=json');
  });
});

describe('desk entry for a walk-in', () => {
  const open = async () => {
    await signedInConsole();
    fireEvent.click(screen.getByRole('button', { name: '窓口で受付を入力' }));
    return screen.findByRole('dialog');
  };

  it('previews as staff type and says the check-digit verdict in words', async () => {
    const dialog = await open();
    handle = (call) => {
      if (call.path !== '/manual-entry/preview') return signedIn(call);
      const valid = (call.body as { insurerNumber?: string }).insurerNumber === '06139994';
      return {
        ok: true,
        data: {
          decision: { decision: 'accepted', documents: ['shikaku_kakuninsho'], reasons: [], staffChecks: [], patientGuidance: 'kakuninsho-accepted' },
          insurerNumber: valid ? { valid: true, kind: 'other' } : { valid: false, message: 'insurer number check digit does not match' },
        },
      };
    };
    fireEvent.click(within(dialog).getByLabelText('資格確認書'));
    const insurer = within(dialog).getByLabelText('保険者番号');
    fireEvent.change(insurer, { target: { value: '06139991' } });
    await vi.waitFor(() => expect(within(dialog).getByTestId('insurer-check').textContent).toContain('保険者番号が正しくありません'));
    expect(insurer.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(insurer, { target: { value: '06139994' } });
    await vi.waitFor(() => expect(within(dialog).getByTestId('insurer-check').textContent).toBe('検証番号OK（被用者保険など）'));
    expect(posted('/manual-entry/preview').at(-1)?.body).toEqual({ documents: ['shikaku_kakuninsho'], insurerNumber: '06139994', lookup: false });
    expect(posted('/manual-entry')).toEqual([]);
  });

  it("shows the reasons, staff checks and patient guidance in the rules' one wording, and the expiry field of the document", async () => {
    const dialog = await open();
    handle = (call) =>
      call.path === '/manual-entry/preview'
        ? {
            ok: true,
            data: {
              decision: {
                decision: 'conditional',
                documents: ['shikaku_kakuninsho'],
                reasons: ['kakuninsho-expiry-unknown'],
                staffChecks: ['check-printed-expiry'],
                patientGuidance: 'kakuninsho-accepted',
              },
              insurerNumber: null,
            },
          }
        : signedIn(call);
    expect(within(dialog).queryByLabelText('資格確認書の有効期限')).toBeNull();
    fireEvent.click(within(dialog).getByLabelText('資格確認書'));
    expect(within(dialog).getByLabelText('資格確認書の有効期限')).toBeTruthy();
    const result = within(dialog).getByTestId('desk-result');
    await vi.waitFor(() => expect(result.textContent).toContain('確認後に受付可'));
    expect(result.textContent).toContain(DOCUMENT_REASON_WORDING['kakuninsho-expiry-unknown'].ja);
    expect(result.textContent).toContain(STAFF_CHECK_WORDING['check-printed-expiry'].ja);
    expect(result.textContent).toContain(PATIENT_GUIDANCE_WORDING['kakuninsho-accepted'].ja);
  });

  it('asks for the documents before anything is saved, and says an already finished check-in with its number', async () => {
    const dialog = await open();
    fireEvent.click(within(dialog).getByRole('button', { name: '保存して受付する' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('提示された書類を選んでください。');
    expect(posted('/manual-entry')).toEqual([]);

    handle = (call) => (call.path === '/manual-entry' ? { ok: false, error: agentError('INPUT_NOT_ALLOWED_NOW', { queueNumber: 4 }) } : signedIn(call));
    fireEvent.click(within(dialog).getByLabelText('資格確認書'));
    fireEvent.click(within(dialog).getByRole('button', { name: '保存して受付する' }));
    await vi.waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe('この受付はすでに完了しています（受付番号 4）。'));
  });
});

describe('the chime', () => {
  it('plays two short WebAudio tones, only once the page has been used', async () => {
    const started: number[] = [];
    class FakeContext {
      state = 'suspended';
      currentTime = 0;
      destination = {};
      async resume() {
        this.state = 'running';
      }
      async close() {}
      createOscillator() {
        return { type: '', frequency: { value: 0 }, connect: (next: unknown) => next, start: (at: number) => started.push(at), stop: () => {} };
      }
      createGain() {
        return { gain: { setValueAtTime: () => {}, exponentialRampToValueAtTime: () => {} }, connect: (next: unknown) => next };
      }
    }
    vi.stubGlobal('AudioContext', FakeContext);
    const target = new EventTarget() as unknown as Window;
    const chime = createChime(target);
    chime.play();
    expect(started).toEqual([]);
    target.dispatchEvent(new Event('keydown'));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the context resumes
    chime.play();
    expect(started).toEqual([0, 0.2]);
    chime.close();
  });
});
