import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExportRow } from '@kiosk/agent/records/export.ts';
import { createCheckInStore } from '@kiosk/agent/storage/checkins.ts';
import { agentDbFile, tempDir } from '../faults/support.ts';
import { connected, StaffClient, startStaffHarness, type StaffHarness } from '../support/staff-harness.ts';

const data = tempDir('staff-fuzz');
let h: StaffHarness;
/** The day's export as it was before any fuzzing: a kiosk check-in completed on a file-backed database. */
let before: { day: string; rows: ExportRow[] };

const exportDay = async (staff: StaffClient) => (await (await staff.get('/staff/api/export?format=json')).json()) as typeof before;

beforeAll(async () => {
  h = await startStaffHarness({ dbFile: agentDbFile(data.path) });
  const store = createCheckInStore(h.db);
  store.beginCheckIn({ sessionId: 'kiosk-done-1', startedAt: h.clock.now(), origin: 'card' });
  expect(store.completeCheckIn('kiosk-done-1', { at: h.clock.now(), authMethod: 'pin', eligibilityOutcome: 'valid', newPatient: false })).toMatchObject({
    ok: true,
  });
  before = await exportDay(await StaffClient.login(h.url));
  expect(before.rows).toHaveLength(1);
});
afterAll(async () => {
  await h?.close();
  data.remove();
});

// After each fuzz run, no record lost: every row of the day's export from before is still there,
// unchanged, and a new (manual) check-in is still saved with the next queue number.
afterEach(async () => {
  const staff = await StaffClient.login(h.url);
  const after = await exportDay(staff);
  expect(after.day).toBe(before.day);
  const known = new Set(before.rows.map((r) => r.session_id));
  expect(after.rows.filter((r) => known.has(r.session_id))).toEqual(before.rows);
  const entry = { documents: ['shikaku_kakuninsho'], printedExpiry: { shikaku_kakuninsho: '2026-07-31' } };
  const saved = (await (await staff.post('/staff/api/manual-entry', entry)).json()) as { data: { saved: { queueNumber: number } } };
  expect(saved.data.saved.queueNumber).toBe(Math.max(...after.rows.map((r) => Number(r.queue_number))) + 1);
  before = await exportDay(staff);
});

const ROUTES = ['/staff/api/login', '/staff/api/actions', '/staff/api/manual-entry', '/staff/api/manual-entry/preview', '/staff/api/logout'];
const payload = fc.oneof(
  fc.jsonValue(),
  fc.object(),
  fc.record({ type: fc.string(), sessionId: fc.string(), documents: fc.array(fc.string()) }, { requiredKeys: [] }),
);

describe('staff inputs under random and malformed payloads (loopback, bounded)', () => {
  it('answers every HTTP payload with a typed error or success and keeps serving', async () => {
    const staff = await StaffClient.login(h.url);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.oneof(
          payload.map((p) => JSON.stringify(p)),
          fc.string({ maxLength: 200 }),
        ),
        async (route, body) => {
          const res = await fetch(`${h.url}${route === '/staff/api/logout' ? '/staff/api/board' : route}`, {
            method: route === '/staff/api/logout' ? 'GET' : 'POST',
            headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'content-type': 'application/json' },
            ...(route === '/staff/api/logout' ? {} : { body }),
          });
          expect(res.status).toBeLessThan(500);
          await res.text();
        },
      ),
      { numRuns: 40 },
    );
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('answers every export query, date-shaped or not, below 500', async () => {
    const staff = await StaffClient.login(h.url);
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    const day = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.tuple(fc.nat(9999), fc.nat(99), fc.nat(99)).map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
    );
    await fc.assert(
      fc.asyncProperty(day, fc.constantFrom('csv', 'json'), async (value, format) => {
        const res = await staff.get(`/staff/api/export?format=${format}&day=${encodeURIComponent(value)}`);
        expect(res.status).toBeLessThan(500);
        await res.text();
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('acknowledges every socket payload without dropping the connection', async () => {
    const staff = await StaffClient.login(h.url);
    const socket = staff.socket();
    await connected(socket);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('staff:action', 'unknown', 'hello'), payload, async (event, body) => {
        const reply = (await socket.timeout(5000).emitWithAck(event, body)) as { ok: boolean };
        expect(typeof reply.ok).toBe('boolean');
      }),
      { numRuns: 60 },
    );
    expect(socket.connected).toBe(true);
    socket.close();
  }, 120_000);
});
