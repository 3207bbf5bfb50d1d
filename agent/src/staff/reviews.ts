import { fail, type Result, type ReviewAlert, type StaffActionType } from '@kiosk/protocol';
import type { OqsStaffQueue } from '../drivers/oqs/driver.ts';

/**
 * Terminal results no kiosk session could claim, from a driver that keeps such a queue (the oqs
 * driver's `staff`, or any driver that brings one): walk-ins (a face result with no waiting session)
 * and ambiguous results held for review. The console shows each as its own alert; staff take it over
 * (resolved as "assigned") or dismiss it. Only ids, codes and times leave this module.
 */
export type ReviewQueue = Pick<OqsStaffQueue, 'list' | 'resolve'>;

const PREFIX = 'oqs:';
const RESOLUTION: Partial<Record<StaffActionType, 'assigned' | 'dismissed'>> = { 'take-over': 'assigned', dismiss: 'dismissed' };

export const isReviewAlertId = (alertId: string | undefined): alertId is string => alertId?.startsWith(PREFIX) ?? false;

export function reviewAlerts(queue: ReviewQueue): ReviewAlert[] {
  return queue.list().map((item) => ({
    id: `${PREFIX}${item.id}`,
    kind: item.kind,
    ...(item.reason ? { reason: item.reason } : {}),
    ...(item.outcome ? { outcome: item.outcome } : {}),
    sessionIds: item.sessionIds,
    since: item.createdAt,
    actions: ['take-over', 'dismiss'],
  }));
}

/** take-over → assigned, dismiss → dismissed; anything else is not an action on a review item. */
export function resolveReview(queue: ReviewQueue | undefined, alertId: string, type: StaffActionType, staff: string): Result<void> {
  const resolution = RESOLUTION[type];
  const id = Number(alertId.slice(PREFIX.length));
  if (!queue) return fail('INPUT_INVALID', 'This driver has no review queue');
  if (!resolution) return fail('INPUT_INVALID', `${type} does not apply to a review item`);
  if (!Number.isSafeInteger(id) || id <= 0) return fail('INPUT_INVALID', 'Unknown review item');
  try {
    return queue.resolve(id, staff, resolution);
  } catch {
    return fail('STORAGE_UNAVAILABLE');
  }
}
