import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fail, PROTOCOL_VERSION } from '@kiosk/protocol';
import type { StaffBoard } from '@kiosk/protocol';
import { createAuditTrail } from '@kiosk/agent/storage/audit.ts';
import { TestKiosk } from '../support/kiosk-client.ts';
import {
  BOARD_WAIT,
  connected,
  StaffClient,
  startStaffHarness,
  STAFF_PASSWORD,
  STAFF_USER,
  TERMINAL_1234,
  type StaffHarness,
} from '../support/staff-harness.ts';

let h: StaffHarness;
afterEach(async () => h?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the shape of its own route
const json = async (res: Response) => (await res.json()) as { ok: boolean; data?: any; error?: { code: string; message: string } };

describe('staff login', () => {
  beforeEach(async () => {
    h = await startStaffHarness({ config: { loginLimit: { maxFailures: 3, windowMs: 60_000 } } });
  });

  it('sets an HttpOnly SameSite=Strict cookie and returns a CSRF token; wrong passwords are refused', async () => {
    const bad = await fetch(`${h.url}/staff/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: STAFF_USER, password: 'nope' }),
    });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('set-cookie')).toBeNull();
    const res = await fetch(`${h.url}/staff/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: STAFF_USER, password: STAFF_PASSWORD }),
    });
    expect(res.headers.get('set-cookie')).toMatch(/^kiosk_staff=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect((await json(res)).data).toEqual({ username: STAFF_USER, csrfToken: expect.any(String) });
  });

  it('rate-limits failed logins, even with the right password afterwards', async () => {
    const attempt = (password: string) =>
      fetch(`${h.url}/staff/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: STAFF_USER, password }),
      });
    for (let i = 0; i < 3; i++) expect((await attempt('wrong-password')).status).toBe(401);
    const limited = await attempt(STAFF_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    h.clock.advance(61_000);
    expect((await attempt(STAFF_PASSWORD)).status).toBe(200);
  });

  it('counts a login when it starts: 50 parallel wrong passwords get 3 password checks, and the right one after them is refused', async () => {
    const attempt = (password: string) =>
      fetch(`${h.url}/staff/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: STAFF_USER, password }),
      });
    const statuses = (await Promise.all(Array.from({ length: 50 }, () => attempt('wrong-password')))).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(47);
    expect((await attempt(STAFF_PASSWORD)).status).toBe(429);
    h.clock.advance(61_000);
    expect((await attempt(STAFF_PASSWORD)).status).toBe(200);
  });

  it('refuses API calls without a session, writes without the CSRF token, and non-JSON posts', async () => {
    expect((await fetch(`${h.url}/staff/api/board`)).status).toBe(401);
    const staff = await StaffClient.login(h.url);
    expect((await staff.get('/staff/api/board')).status).toBe(200);
    expect((await staff.post('/staff/api/actions', { type: 'take-over', sessionId: 's1' }, null)).status).toBe(401);
    expect((await staff.post('/staff/api/actions', { type: 'take-over', sessionId: 's1' }, 'forged')).status).toBe(401);
    const form = await fetch(`${h.url}/staff/api/actions`, {
      method: 'POST',
      headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'type=take-over',
    });
    expect(form.status).toBe(400);
    expect(h.flow.actions).toEqual([]);
    expect((await staff.post('/staff/api/logout', {})).status).toBe(200);
    expect((await staff.get('/staff/api/board')).status).toBe(401);
  });
});

describe('staff namespace, alerts and 目視', () => {
  beforeEach(async () => {
    h = await startStaffHarness();
  });

  it('refuses a socket without session or without the CSRF token', async () => {
    const staff = await StaffClient.login(h.url);
    await expect(connected(staff.socket(null))).rejects.toThrow(/UNAUTHORIZED/);
    const kiosk = await TestKiosk.connect(h.url);
    const { io } = await import('socket.io-client');
    const anonymous = io(`${h.url}/staff`, { transports: ['websocket'], forceNew: true, reconnection: false });
    await expect(connected(anonymous)).rejects.toThrow(/UNAUTHORIZED/);
    anonymous.close();
    kiosk.close();
  });

  it('raises a 目視 alert for the live session, approves it through the flow, and audits without personal data', async () => {
    const staff = await StaffClient.login(h.url);
    const socket = staff.socket();
    const boards: StaffBoard[] = [];
    socket.on('staff:board', (b: StaffBoard) => boards.push(b));
    await connected(socket);
    const kiosk = await TestKiosk.connect(h.url);
    const kioskEvents: string[] = [];
    kiosk.socket.onAny((event: string) => kioskEvents.push(event));

    h.flow.set(
      { sessionId: 'sess-1', step: 'visual-check', startedAt: '2025-10-01T10:00:00+09:00' },
      { type: 'staff-needed', sessionId: 'sess-1', reason: 'visual-check' },
    );
    await expect
      .poll(() => boards.at(-1)?.alerts.find((a) => a.sessionId === 'sess-1'), BOARD_WAIT)
      .toMatchObject({
        kind: 'visual-check',
        live: true,
        actions: ['approve-visual', 'decline-visual', 'take-over', 'dismiss'],
      });

    const reply = await socket.timeout(5000).emitWithAck('staff:action', { type: 'approve-visual', sessionId: 'sess-1' });
    expect(reply).toEqual({ ok: true });
    expect(h.flow.actions).toEqual([{ type: 'approve-visual', sessionId: 'sess-1', staffId: STAFF_USER }]);

    h.flow.answer = () => fail('INPUT_STALE_SESSION');
    const stale = await socket.timeout(5000).emitWithAck('staff:action', { type: 'decline-visual', sessionId: 'old' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'INPUT_STALE_SESSION' } });
    const garbage = await socket.timeout(5000).emitWithAck('staff:action', { type: 'drop-tables' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });

    const audit = createAuditTrail(h.db).list();
    expect(audit.map((a) => [a.action, a.subject, a.outcome])).toEqual(
      expect.arrayContaining([
        ['approve-visual', 'session:sess-1', 'ok'],
        ['decline-visual', 'session:old', 'INPUT_STALE_SESSION'],
        ['login', undefined, 'ok'],
      ]),
    );
    expect(audit.every((a) => a.actor === STAFF_USER)).toBe(true);

    // The kiosk namespace never carries staff data, and cannot trigger a staff action.
    const refused = await kiosk.emit('staff:action' as 'hello', { type: 'approve-visual', sessionId: 'sess-1' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(kioskEvents.every((e) => e === 'flow:snapshot' || e === 'agent:status' || e === 'flow:event')).toBe(true);
    expect(h.flow.actions).toHaveLength(2);
    socket.close();
    kiosk.close();
  });

  it('shows reader-down and interrupted sessions; dismiss removes an alert for good', async () => {
    const staff = await StaffClient.login(h.url);
    const { createCheckInStore } = await import('@kiosk/agent/storage/checkins.ts');
    const store = createCheckInStore(h.db);
    store.beginCheckIn({ sessionId: 'before-crash', startedAt: h.clock.now(), origin: 'card' });
    store.markInterrupted(h.clock.now());
    h.flow.set({ reader: { driver: 'pcsc', service: 'unavailable', readers: [] } });
    const board = (await json(await staff.get('/staff/api/board'))).data as StaffBoard;
    expect(board.alerts.map((a) => [a.id, a.kind])).toEqual([
      ['system:reader-down', 'reader-down'],
      ['session:before-crash', 'agent-restarted'],
    ]);
    expect(board.queue).toEqual([expect.objectContaining({ sessionId: 'before-crash', status: 'interrupted', flags: ['interrupted'] })]);
    expect((await staff.post('/staff/api/actions', { type: 'dismiss', sessionId: 'before-crash' })).status).toBe(200);
    const after = (await json(await staff.get('/staff/api/board'))).data as StaffBoard;
    expect(after.alerts.map((a) => a.id)).toEqual(['system:reader-down']);
  });
});

describe('manual entry and export', () => {
  beforeEach(async () => {
    h = await startStaffHarness({ insuranceNumbers: TERMINAL_1234 });
  });

  const entry = {
    documents: ['shikaku_kakuninsho'],
    insurerNumber: '06139984',
    symbol: '記号',
    number: '1234',
    branch: '01',
    birthDate: '1980-04-01',
    printedExpiry: { shikaku_kakuninsho: '2026-07-31' },
    lookup: true,
  };

  it('previews the check digit and the rules, then saves with 一件照会 and a queue number', async () => {
    const staff = await StaffClient.login(h.url);
    const wrongDigit = await json(await staff.post('/staff/api/manual-entry/preview', { ...entry, insurerNumber: '06139985' }));
    expect(wrongDigit.data.insurerNumber).toEqual({ valid: false, message: 'insurer number check digit does not match' });
    const preview = await json(await staff.post('/staff/api/manual-entry/preview', entry));
    expect(preview.data.insurerNumber).toEqual({ valid: true, kind: 'other' });
    expect(preview.data.decision).toMatchObject({ decision: 'accepted', reasons: ['kakuninsho-within-printed-expiry'] });

    expect((await staff.post('/staff/api/manual-entry', { ...entry, insurerNumber: '06139985' })).status).toBe(400);
    const saved = await json(await staff.post('/staff/api/manual-entry', { ...entry, sessionId: 'kiosk-fallback-1' }));
    expect(saved.data).toMatchObject({
      lookup: { outcome: 'valid', copayPercent: 30 },
      saved: { queueNumber: 1, sessionId: expect.stringMatching(/^manual-/) },
    });

    const exported = await json(await staff.get('/staff/api/export?format=json'));
    expect(exported.data ?? exported).toBeDefined();
    const csv = await (await staff.get('/staff/api/export?format=csv')).text();
    expect(csv).toContain('06139984');
    expect(csv).toContain(',accepted,shikaku_kakuninsho,valid,');
    const audit = JSON.stringify(createAuditTrail(h.db).list());
    for (const personal of ['06139984', '記号', '1980', '19800401']) expect(audit).not.toContain(personal);
    expect(audit).toContain('manual-entry');
    const bytes = h.db.serialize().toString('latin1');
    expect(bytes).not.toContain('19800401');
    expect(bytes).not.toContain('1980-04-01');
  });

  it('a 一件照会 that finds no insurance rejects the entry: a staff case on the board, no queue number', async () => {
    const staff = await StaffClient.login(h.url);
    const saved = await json(await staff.post('/staff/api/manual-entry', { ...entry, number: '9999', sessionId: 'kiosk-fallback-2' }));
    expect(saved.data).toMatchObject({
      decision: { decision: 'rejected', reasons: ['kakuninsho-within-printed-expiry', 'online-lookup-not-valid'] },
      lookup: { outcome: 'not-found' },
      saved: { sessionId: expect.stringMatching(/^manual-/) },
    });
    expect(saved.data.saved.queueNumber).toBeUndefined();
    const board = (await json(await staff.get('/staff/api/board'))).data as StaffBoard;
    const sessionId = saved.data.saved.sessionId as string;
    expect(board.queue).toContainEqual(expect.objectContaining({ sessionId, status: 'staff', staffReason: 'eligibility-not-found' }));
    expect(board.queue.some((q) => q.queueNumber !== undefined)).toBe(false);
    expect(board.alerts).toContainEqual(expect.objectContaining({ sessionId, kind: 'eligibility-not-found' }));
    const csv = await (await staff.get('/staff/api/export?format=csv')).text();
    expect(csv).toContain(',rejected,shikaku_kakuninsho,not-found,');
  });

  it('refuses impossible calendar dates with 400 INPUT_INVALID: export days, printed expiries, birth dates', async () => {
    const staff = await StaffClient.login(h.url);
    for (const day of ['2026-13-01', '2026-02-30', '2026-00-10', 'yesterday']) {
      const res = await staff.get(`/staff/api/export?format=json&day=${day}`);
      expect(res.status, day).toBe(400);
      expect((await json(res)).error?.code).toBe('INPUT_INVALID');
    }
    expect((await staff.get('/staff/api/export?format=csv&day=2028-02-29')).status).toBe(200);
    for (const bad of [
      { printedExpiry: { shikaku_kakuninsho: '9999-99-99' } },
      { printedExpiry: { old_hokensho: '2026-02-30' } },
      { birthDate: '1980-02-30' },
    ]) {
      for (const route of ['/staff/api/manual-entry/preview', '/staff/api/manual-entry']) {
        const res = await staff.post(route, { ...entry, ...bad });
        expect(res.status, `${route} ${JSON.stringify(bad)}`).toBe(400);
        expect((await json(res)).error?.code).toBe('INPUT_INVALID');
      }
    }
    expect((await json(await staff.get('/staff/api/board'))).data.queue).toEqual([]);
  });

  it('refuses control and bidi characters in the text fields with 400 INPUT_INVALID, and saves nothing', async () => {
    const staff = await StaffClient.login(h.url);
    for (const bad of [{ symbol: '\u001b[2J記号' }, { number: '12\u202e34' }, { symbol: '記\u0000号' }, { number: '\u2066' + '1234' }, { symbol: 'x\u0085' }]) {
      const res = await staff.post('/staff/api/manual-entry', { ...entry, ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect((await json(res)).error?.code).toBe('INPUT_INVALID');
    }
    expect((await json(await staff.get('/staff/api/board'))).data.queue).toEqual([]);
  });

  it('saves a rejected entry without a queue number', async () => {
    const staff = await StaffClient.login(h.url);
    const saved = await json(await staff.post('/staff/api/manual-entry', { documents: ['mynaportal_screen'] }));
    expect(saved.data.decision.decision).toBe('rejected');
    expect(saved.data.saved.queueNumber).toBeUndefined();
  });
});

describe('security of the wiring', () => {
  beforeEach(async () => {
    h = await startStaffHarness();
  });

  it('refuses a rebinding Host and a cross-origin Origin on HTTP and WebSocket', async () => {
    const { request } = await import('node:http');
    const get = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${h.url}/healthz`, { headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const port = new URL(h.url).port;
    expect(await get({})).toBe(200);
    expect(await get({ host: `evil.example:${port}` })).toBe(421);
    expect(await get({ origin: 'http://evil.example' })).toBe(403);
    const { io } = await import('socket.io-client');
    const cross = io(h.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: 'http://evil.example' } });
    await expect(connected(cross)).rejects.toThrow();
    cross.close();
    const same = await TestKiosk.connect(h.url);
    expect((await same.emit('hello', { protocolVersion: PROTOCOL_VERSION, role: 'kiosk' })).ok).toBe(true);
    same.close();
  });

  it('checks Host and Origin on every socket.io request, also polls and upgrades that carry an existing sid (raw HTTP)', async () => {
    const { request } = await import('node:http');
    const port = new URL(h.url).port;
    type Answer = { status: number; body: string };
    const send = (query: string, headers: Record<string, string>, method = 'GET', body?: string) =>
      new Promise<Answer>((resolve, reject) => {
        const req = request(`${h.url}/socket.io/?EIO=4&${query}`, { method, headers }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const upgrade = (query: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${h.url}/socket.io/?EIO=4&${query}`, {
          headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
        });
        req.on('upgrade', (res, socket) => {
          socket.destroy();
          resolve(res.statusCode ?? 0);
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    const code = (answer: Answer) => (JSON.parse(answer.body) as { error: { code: string } }).error.code;
    const evilHost = { host: `evil.example:${port}` };
    const evilOrigin = { origin: 'http://evil.example' };

    const handshake = await send('transport=polling', {});
    expect(handshake.status).toBe(200);
    const sid = (JSON.parse(handshake.body.slice(1)) as { sid: string }).sid;
    expect((await send(`transport=polling&sid=${sid}`, {}, 'POST', '40')).status).toBe(200);

    for (const [query, method, body] of [
      ['transport=polling', 'GET', undefined],
      [`transport=polling&sid=${sid}`, 'GET', undefined],
      [`transport=polling&sid=${sid}`, 'POST', '42["hello",{}]'],
    ] as const) {
      const host = await send(query, evilHost, method, body);
      expect([host.status, code(host)], `${method} ${query} host`).toEqual([421, 'TRANSPORT_UNAUTHORIZED']);
      const origin = await send(query, evilOrigin, method, body);
      expect([origin.status, code(origin)], `${method} ${query} origin`).toEqual([403, 'TRANSPORT_UNAUTHORIZED']);
    }
    expect(await upgrade(`transport=websocket&sid=${sid}`, evilHost)).toBe(421);
    expect(await upgrade(`transport=websocket&sid=${sid}`, evilOrigin)).toBe(403);
    expect(await upgrade('transport=websocket', evilOrigin)).toBe(403);
    // The session itself is untouched: its own page goes on polling, and may upgrade.
    expect((await send(`transport=polling&sid=${sid}`, {})).status).toBe(200);
    expect(await upgrade(`transport=websocket&sid=${sid}`, {})).toBe(101);
  });
});
