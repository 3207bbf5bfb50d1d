import { afterEach, describe, expect, it } from 'vitest';
import { createAuditTrail } from '@kiosk/agent/storage/audit.ts';
import type { StaffBoard } from '@kiosk/protocol';
import { createFakeReviewQueue, type FakeReviewQueue } from '@kiosk/agent/staff/staff.test-support.ts';
import { BOARD_WAIT, connected, StaffClient, startStaffHarness, STAFF_USER, type StaffHarness } from '../support/staff-harness.ts';

let h: StaffHarness;
afterEach(async () => h?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the shape of its own route
const json = async (res: Response) => (await res.json()) as { ok: boolean; data?: any; error?: { code: string } };

function queueWithItems(): FakeReviewQueue {
  const queue = createFakeReviewQueue();
  queue.add({
    fileName: 'OQSsiquc01res_face_20251001095900.xml',
    kind: 'review',
    reason: 'same-second',
    sessionIds: ['sess-a', 'sess-b'],
    outcome: 'valid',
    createdAt: '2025-10-01T00:59:00.000Z',
  });
  queue.add({ fileName: 'OQSsiquc01res_face_20251001095930.xml', kind: 'walk-in', outcome: 'valid', createdAt: '2025-10-01T00:59:30.000Z' });
  return queue;
}

describe('driver review items on the staff board', () => {
  it('shows each open item as its own alert, resolves it by socket and HTTP, and audits who did what', async () => {
    const queue = queueWithItems();
    h = await startStaffHarness({ reviewQueue: queue });
    const staff = await StaffClient.login(h.url);
    const socket = staff.socket();
    const boards: StaffBoard[] = [];
    socket.on('staff:board', (b: StaffBoard) => boards.push(b));
    await connected(socket);

    await expect
      .poll(() => boards.at(-1)?.reviews, BOARD_WAIT)
      .toEqual([
        {
          id: 'oqs:1',
          kind: 'review',
          reason: 'same-second',
          outcome: 'valid',
          sessionIds: ['sess-a', 'sess-b'],
          since: '2025-10-01T00:59:00.000Z',
          actions: ['take-over', 'dismiss'],
        },
        { id: 'oqs:2', kind: 'walk-in', outcome: 'valid', sessionIds: [], since: '2025-10-01T00:59:30.000Z', actions: ['take-over', 'dismiss'] },
      ]);
    // Review items are not session alerts: the 目視 / session list is untouched by them.
    expect(boards.at(-1)?.alerts).toEqual([]);

    expect(await socket.timeout(5000).emitWithAck('staff:action', { type: 'take-over', alertId: 'oqs:1' })).toEqual({ ok: true });
    await expect.poll(() => boards.at(-1)?.reviews?.map((r) => r.id), BOARD_WAIT).toEqual(['oqs:2']);
    const dismissed = await staff.post('/staff/api/actions', { type: 'dismiss', alertId: 'oqs:2' });
    expect(dismissed.status).toBe(200);
    await expect.poll(() => boards.at(-1)?.reviews, BOARD_WAIT).toEqual([]);
    expect(queue.items.map((i) => [i.resolution, i.resolvedBy])).toEqual([
      ['assigned', STAFF_USER],
      ['dismissed', STAFF_USER],
    ]);

    const again = await staff.post('/staff/api/actions', { type: 'dismiss', alertId: 'oqs:2' });
    expect(again.status).toBe(409);
    expect((await json(again)).error?.code).toBe('INPUT_NOT_ALLOWED_NOW');
    const visual = await socket.timeout(5000).emitWithAck('staff:action', { type: 'approve-visual', alertId: 'oqs:1', sessionId: 'sess-a' });
    expect(visual).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    expect(h.flow.actions).toEqual([]);

    const audit = createAuditTrail(h.db)
      .list()
      .filter((a) => a.subject?.startsWith('oqs:'));
    expect(audit.map((a) => [a.actor, a.action, a.subject, a.outcome]).reverse()).toEqual([
      [STAFF_USER, 'take-over', 'oqs:1', 'ok'],
      [STAFF_USER, 'dismiss', 'oqs:2', 'ok'],
      [STAFF_USER, 'dismiss', 'oqs:2', 'INPUT_NOT_ALLOWED_NOW'],
      [STAFF_USER, 'approve-visual', 'oqs:1', 'INPUT_INVALID'],
    ]);
    expect(JSON.stringify(audit)).not.toContain('.xml');
    socket.close();
  });

  it('shows a newly queued item on the next board', async () => {
    const queue = createFakeReviewQueue();
    h = await startStaffHarness({ reviewQueue: queue });
    const staff = await StaffClient.login(h.url);
    expect((await json(await staff.get('/staff/api/board'))).data.reviews).toEqual([]);
    queue.add({ fileName: 'x.xml', kind: 'walk-in', createdAt: '2025-10-01T01:00:00.000Z' });
    expect((await json(await staff.get('/staff/api/board'))).data.reviews).toMatchObject([{ id: 'oqs:1', kind: 'walk-in' }]);
  });

  it('has no review list, and refuses review ids, when the driver has no queue', async () => {
    h = await startStaffHarness();
    const staff = await StaffClient.login(h.url);
    expect((await json(await staff.get('/staff/api/board'))).data).not.toHaveProperty('reviews');
    const res = await staff.post('/staff/api/actions', { type: 'dismiss', alertId: 'oqs:1' });
    expect(res.status).toBe(400);
    expect((await json(res)).error?.code).toBe('INPUT_INVALID');
  });
});
