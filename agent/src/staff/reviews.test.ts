import { describe, expect, it } from 'vitest';
import { isReviewAlertId, resolveReview, reviewAlerts } from './reviews.ts';
import { createFakeReviewQueue } from './staff.test-support.ts';

describe('review queue', () => {
  it('lists open items as alerts with ids, codes and times only', () => {
    const queue = createFakeReviewQueue();
    queue.add({
      fileName: 'OQSsiquc01res_face_20251001100000.xml',
      kind: 'review',
      reason: 'several-sessions',
      sessionIds: ['s1', 's2'],
      outcome: 'valid',
      createdAt: '2025-10-01T01:00:00.000Z',
    });
    queue.add({ fileName: 'b.xml', kind: 'walk-in', createdAt: '2025-10-01T01:05:00.000Z' });
    queue.add({ fileName: 'c.xml', kind: 'walk-in', createdAt: '2025-10-01T01:06:00.000Z', resolution: 'bound' });
    expect(reviewAlerts(queue)).toEqual([
      {
        id: 'oqs:1',
        kind: 'review',
        reason: 'several-sessions',
        outcome: 'valid',
        sessionIds: ['s1', 's2'],
        since: '2025-10-01T01:00:00.000Z',
        actions: ['take-over', 'dismiss'],
      },
      { id: 'oqs:2', kind: 'walk-in', sessionIds: [], since: '2025-10-01T01:05:00.000Z', actions: ['take-over', 'dismiss'] },
    ]);
    expect(JSON.stringify(reviewAlerts(queue))).not.toContain('.xml');
  });
});

describe('resolving a review item', () => {
  it('maps take-over to assigned and dismiss to dismissed, recording who', () => {
    const queue = createFakeReviewQueue();
    queue.add({ fileName: 'a.xml', kind: 'walk-in', createdAt: '2025-10-01T01:00:00.000Z' });
    queue.add({ fileName: 'b.xml', kind: 'review', createdAt: '2025-10-01T01:00:00.000Z' });
    expect(resolveReview(queue, 'oqs:1', 'take-over', 'desk1')).toEqual({ ok: true, value: undefined });
    expect(resolveReview(queue, 'oqs:2', 'dismiss', 'desk2')).toEqual({ ok: true, value: undefined });
    expect(queue.items.map((i) => [i.resolution, i.resolvedBy])).toEqual([
      ['assigned', 'desk1'],
      ['dismissed', 'desk2'],
    ]);
    expect(resolveReview(queue, 'oqs:1', 'dismiss', 'desk1')).toMatchObject({ ok: false, error: { code: 'INPUT_NOT_ALLOWED_NOW' } });
  });

  it('refuses 目視 actions, malformed or unknown ids, and a driver without a queue', () => {
    const queue = createFakeReviewQueue();
    queue.add({ fileName: 'a.xml', kind: 'walk-in', createdAt: '2025-10-01T01:00:00.000Z' });
    for (const [q, id, type] of [
      [queue, 'oqs:1', 'approve-visual'],
      [queue, 'oqs:1', 'decline-visual'],
      [queue, 'oqs:x', 'dismiss'],
      [queue, 'oqs:-1', 'dismiss'],
      [queue, 'oqs:1.5', 'dismiss'],
      [queue, 'oqs:9', 'dismiss'],
      [undefined, 'oqs:1', 'dismiss'],
    ] as const) {
      expect(resolveReview(q, id, type, 'desk1')).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    }
    expect(queue.items[0]!.resolution).toBeUndefined();
  });

  it('answers STORAGE_UNAVAILABLE when the queue cannot be written', () => {
    const broken = {
      list: () => [],
      resolve: () => {
        throw new Error('disk I/O error');
      },
    };
    expect(resolveReview(broken, 'oqs:1', 'dismiss', 'desk1')).toMatchObject({ ok: false, error: { code: 'STORAGE_UNAVAILABLE' } });
  });

  it('tells review alert ids from session and system alert ids', () => {
    expect(isReviewAlertId('oqs:3')).toBe(true);
    expect(isReviewAlertId('session:oqs:3')).toBe(false);
    expect(isReviewAlertId('system:reader-down')).toBe(false);
    expect(isReviewAlertId(undefined)).toBe(false);
  });
});
