import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connected, StaffClient, startStaffHarness, type StaffHarness } from '../support/staff-harness.ts';

let h: StaffHarness;
beforeAll(async () => {
  h = await startStaffHarness();
});
afterAll(async () => h?.close());

const ROUTES = ['/staff/api/login', '/staff/api/actions', '/staff/api/manual-entry', '/staff/api/manual-entry/preview', '/staff/api/logout'];
const payload = fc.oneof(fc.jsonValue(), fc.object(), fc.record({ type: fc.string(), sessionId: fc.string(), documents: fc.array(fc.string()) }, { requiredKeys: [] }));

describe('staff inputs under random and malformed payloads (loopback, bounded)', () => {
  it('answers every HTTP payload with a typed error or success and keeps serving', async () => {
    const staff = await StaffClient.login(h.url);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.oneof(payload.map((p) => JSON.stringify(p)), fc.string({ maxLength: 200 })), async (route, body) => {
        const res = await fetch(`${h.url}${route === '/staff/api/logout' ? '/staff/api/board' : route}`, {
          method: route === '/staff/api/logout' ? 'GET' : 'POST',
          headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf, 'content-type': 'application/json' },
          ...(route === '/staff/api/logout' ? {} : { body }),
        });
        expect(res.status).toBeLessThan(500);
        await res.text();
      }),
      { numRuns: 40 },
    );
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
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
