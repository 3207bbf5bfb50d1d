import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DOCUMENT_REASON_WORDING, PATIENT_GUIDANCE_WORDING, STAFF_CHECK_WORDING, type RulesInfo } from '@kiosk/protocol';
import type { StaffBoard } from './api.ts';
import { StaffApp } from './StaffApp.tsx';

/** The staff socket double: the console subscribes to it; tests push boards through it. */
const socket = vi.hoisted(() => {
  const listeners = new Map<string, (payload: unknown) => void>();
  return {
    listeners,
    options: [] as unknown[],
    on(event: string, listener: (payload: unknown) => void) {
      listeners.set(event, listener);
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
type Handler = (call: Call) => { ok: boolean; data?: unknown; error?: { code: string; message: string } };

/** The agent's HTTP API double: records every call, answers through `handle`. */
let calls: Call[];
let handle: Handler;
const signedIn: Handler = ({ path }) => (path === '/session' ? { ok: true, data: { username: 'desk1', csrfToken: 'csrf-1' } } : { ok: true, data: null });

beforeEach(() => {
  calls = [];
  handle = signedIn;
  socket.listeners.clear();
  socket.options.length = 0;
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
  reader: { driver: 'mock', service: 'ok', readers: [] },
  kiosk: { sessionId: null, step: 'welcome' },
  ...patch,
});

/**
 * The console opens its socket in an effect, which React may run after the signed-in screen is already
 * shown (a loaded runner showed it): wait for the socket's board listener, not only for the screen.
 */
async function boardListener(): Promise<(b: StaffBoard) => void> {
  return waitFor(() => {
    const listener = socket.listeners.get('staff:board');
    if (!listener) throw new Error('the console has not subscribed to staff:board yet');
    return listener;
  });
}

async function signedInConsole(first: StaffBoard = board()) {
  render(<StaffApp />);
  await screen.findByText('desk1');
  const listener = await boardListener();
  act(() => listener(first));
  return { push: (next: StaffBoard) => act(() => listener(next)) };
}

const posted = (path: string) => calls.filter((c) => c.method === 'POST' && c.path === path);

describe('sign-in', () => {
  it('shows the login form without a session, refuses a wrong password, then opens the console', async () => {
    handle = ({ path, body }) => {
      if (path === '/session') return { ok: false, error: { code: 'TRANSPORT_UNAUTHORIZED', message: 'Sign in first' } };
      const { password } = body as { password: string };
      if (password === 'correct horse battery') return { ok: true, data: { username: 'desk1', csrfToken: 'csrf-9' } };
      return { ok: false, error: { code: 'TRANSPORT_UNAUTHORIZED', message: 'no' } };
    };
    render(<StaffApp />);
    const username = await screen.findByLabelText(/Username/);
    fireEvent.change(username, { target: { value: 'desk1' } });
    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'wrong-password' } });
    fireEvent.click(screen.getByRole('button', { name: /Sign in/ }));
    expect(await screen.findByRole('alert')).toHaveProperty('textContent', expect.stringContaining('Wrong username or password'));
    expect(socket.options).toEqual([]);

    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'correct horse battery' } });
    fireEvent.click(screen.getByRole('button', { name: /Sign in/ }));
    await screen.findByText('desk1');
    expect(posted('/login').map((c) => c.body)).toEqual([
      { username: 'desk1', password: 'wrong-password' },
      { username: 'desk1', password: 'correct horse battery' },
    ]);
    // The socket joins /staff with the session's CSRF token in the handshake.
    await boardListener();
    expect(socket.options).toEqual([{ path: '/staff', options: expect.objectContaining({ auth: { csrfToken: 'csrf-9' } }) }]);
  });

  it('says so when the login is throttled', async () => {
    handle = () => ({ ok: false, error: { code: 'TRANSPORT_RATE_LIMITED', message: 'later' } });
    render(<StaffApp />);
    fireEvent.change(await screen.findByLabelText(/Username/), { target: { value: 'desk1' } });
    fireEvent.change(screen.getByLabelText(/Password/), { target: { value: 'whatever-it-is' } });
    fireEvent.click(screen.getByRole('button', { name: /Sign in/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('Too many tries');
  });
});

describe('board', () => {
  it("renders today's queue with number, status, reason and flags", async () => {
    await signedInConsole(
      board({
        queue: [
          {
            sessionId: 's-1',
            status: 'completed',
            origin: 'card',
            startedAt: '2025-10-01T09:00:00+09:00',
            queueNumber: 7,
            authMethod: 'pin',
            eligibilityOutcome: 'valid',
            newPatient: true,
            flags: ['new-patient'],
          },
          {
            sessionId: 's-2',
            status: 'staff',
            origin: 'card',
            startedAt: '2025-10-01T09:05:00+09:00',
            newPatient: false,
            staffReason: 'pin-blocked',
            flags: [],
          },
        ],
      }),
    );
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(
      rows.map((r) =>
        within(r)
          .getAllByRole('cell')
          .map((c) => c.textContent),
      ),
    ).toEqual([
      ['7', expect.any(String), 'completed', 'pin', 'valid', 'new-patient'],
      ['—', expect.any(String), 'staff (pin-blocked)', '', '', ''],
    ]);
  });

  it('offers 目視OK / 目視NG for the session at the kiosk and posts the decision with the CSRF token', async () => {
    const { push } = await signedInConsole();
    push(
      board({
        alerts: [
          {
            id: 'session:s-9',
            kind: 'visual-check',
            sessionId: 's-9',
            since: '2025-10-01T09:00:00+09:00',
            live: true,
            actions: ['approve-visual', 'decline-visual', 'take-over', 'dismiss'],
          },
        ],
      }),
    );
    expect(screen.getByRole('heading', { name: /Needs a person \(1\)/ })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /目視OK/ }));
    await vi.waitFor(() => expect(posted('/actions')).toHaveLength(1));
    expect(posted('/actions')[0]).toMatchObject({ body: { type: 'approve-visual', sessionId: 's-9', alertId: 'session:s-9' }, csrf: 'csrf-1' });

    handle = (call) => (call.path === '/actions' ? { ok: false, error: { code: 'INPUT_STALE_SESSION', message: 'The session is over' } } : signedIn(call));
    fireEvent.click(screen.getByRole('button', { name: /目視NG/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('INPUT_STALE_SESSION');
    expect(posted('/actions')[1]?.body).toMatchObject({ type: 'decline-visual', sessionId: 's-9' });
  });

  it('lists terminal review items apart and resolves them by alert id', async () => {
    await signedInConsole(
      board({
        reviews: [
          {
            id: 'oqs:1',
            kind: 'review',
            reason: 'same-second',
            outcome: 'valid',
            sessionIds: ['sess-aaaa-1', 'sess-bbbb-2'],
            since: '2025-10-01T00:59:00.000Z',
            actions: ['take-over', 'dismiss'],
          },
          { id: 'oqs:2', kind: 'walk-in', sessionIds: [], since: '2025-10-01T01:00:00.000Z', actions: ['take-over', 'dismiss'] },
        ],
      }),
    );
    const section = screen.getByRole('region', { name: /Terminal results \(2\)/ });
    expect(section.textContent).toContain('same-second');
    const [firstAssign] = within(section).getAllByRole('button', { name: /Assign/ });
    fireEvent.click(firstAssign!);
    fireEvent.click(within(section).getAllByRole('button', { name: /Dismiss/ })[1]!);
    await vi.waitFor(() => expect(posted('/actions')).toHaveLength(2));
    expect(posted('/actions').map((c) => c.body)).toEqual([
      { type: 'take-over', alertId: 'oqs:1' },
      { type: 'dismiss', alertId: 'oqs:2' },
    ]);
  });

  it('has no review section when the driver keeps no review queue', async () => {
    await signedInConsole();
    expect(screen.queryByRole('region', { name: /Terminal results/ })).toBeNull();
  });

  it('says plainly when the board is the demonstration, and only then', async () => {
    const { push } = await signedInConsole(board({ demo: true }));
    expect(screen.getByTestId('demo-note').textContent).toContain('架空の患者');
    push(board());
    expect(screen.queryByTestId('demo-note')).toBeNull();
  });

  describe('the rules edition', () => {
    const rules = (patch: Partial<RulesInfo> = {}): RulesInfo => ({
      edition: { checkedOn: '2026-12-02', sources: [{ title: 'MHLW 事務連絡', date: '2025-11-12' }, { title: 'undated page' }] },
      maxAgeDays: 120,
      ...patch,
    });

    it('shows the edition and its sources, without a warning while it is young enough', async () => {
      await signedInConsole(board({ day: '2027-04-01', rules: rules() }));
      expect(screen.getByTestId('rules-edition').textContent).toContain('2026-12-02');
      expect(screen.getByTestId('rules-edition').textContent).toContain('120');
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
    expect(screen.getByRole('link', { name: 'CSV' }).getAttribute('href')).toBe('/staff/api/export?format=csv');
    expect(screen.getByRole('link', { name: 'JSON' }).getAttribute('href')).toBe('/staff/api/export?format=json');
  });
});

describe('manual entry', () => {
  it('previews as staff type and shows the check-digit verdict', async () => {
    await signedInConsole();
    handle = (call) => {
      if (call.path !== '/manual-entry/preview') return signedIn(call);
      const valid = (call.body as { insurerNumber?: string }).insurerNumber === '06139994';
      return {
        ok: true,
        data: {
          decision: { decision: 'accepted', documents: ['shikaku_kakuninsho'], reasons: [], staffChecks: [], patientGuidance: 'kakuninsho-accepted' },
          insurerNumber: valid ? { valid: true, kind: 'other' } : { valid: false, message: 'check digit should be 4' },
        },
      };
    };
    fireEvent.click(screen.getByLabelText(/資格確認書 \/ Eligibility certificate/));
    const insurer = screen.getByLabelText(/Insurer number/);
    fireEvent.change(insurer, { target: { value: '06139991' } });
    await vi.waitFor(() => expect(document.getElementById('insurer-check')?.textContent).toContain('check digit should be 4'));
    expect(document.getElementById('insurer-check')?.className).toBe('error');

    fireEvent.change(insurer, { target: { value: '06139994' } });
    await vi.waitFor(() => expect(document.getElementById('insurer-check')?.textContent).toContain('check digit OK (other)'));
    expect(posted('/manual-entry/preview').at(-1)?.body).toMatchObject({ documents: ['shikaku_kakuninsho'], insurerNumber: '06139994', lookup: false });
    expect(posted('/manual-entry')).toEqual([]);
  });

  it("shows the reasons, staff checks and patient guidance in the rules' one wording", async () => {
    await signedInConsole();
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
    fireEvent.click(screen.getByLabelText(/資格確認書 \/ Eligibility certificate/));
    const status = await screen.findByText(/判定 \/ Decision/);
    const result = status.closest('[role="status"]') as HTMLElement;
    expect(result.textContent).toContain(DOCUMENT_REASON_WORDING['kakuninsho-expiry-unknown'].en);
    expect(result.textContent).toContain(STAFF_CHECK_WORDING['check-printed-expiry'].ja);
    expect(result.textContent).toContain(PATIENT_GUIDANCE_WORDING['kakuninsho-accepted'].ja);
  });

  it('asks for the documents before anything is sent', async () => {
    await signedInConsole();
    fireEvent.change(screen.getByLabelText(/Insurer number/), { target: { value: '0613' } });
    expect((await screen.findByRole('alert')).textContent).toContain('Pick the documents');
    expect(posted('/manual-entry/preview')).toEqual([]);
  });
});
