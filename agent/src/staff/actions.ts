import { fail, ok, type Result } from '@kiosk/protocol';
import type { Clock } from '../clock.ts';
import type { CheckInFlow } from '../flow/types.ts';
import type { ReceptionDesk } from '../flow/ports.ts';
import type { Logger } from '../logger.ts';
import type { AuditTrail } from '../storage/audit.ts';
import type { StaffBoardModel } from './board.ts';
import { isReviewAlertId, resolveReview, type ReviewQueue } from './reviews.ts';
import type { StaffActionRequest } from '@kiosk/protocol';

export interface ActionDeps {
  flow: CheckInFlow;
  board: StaffBoardModel;
  audit: AuditTrail;
  clock: Clock;
  logger: Logger;
  /** The driver's review queue, when it has one. */
  reviews?: ReviewQueue;
  /** The receipt computer's side (ORCA), when the agent sends check-ins there. */
  reception?: ReceptionDesk;
}

/** orca-resend / orca-cancel act on the check-in's 受付 in the receipt computer, not on the kiosk. */
function orcaAction(request: StaffActionRequest, reception: ReceptionDesk | undefined): Result<void> {
  if (!reception) return fail('INPUT_NOT_ALLOWED_NOW', 'this agent sends no check-ins to ORCA (no --orca-url)');
  if (!request.sessionId) return fail('INPUT_INVALID', `${request.type} needs sessionId`);
  if (request.type === 'orca-cancel') return reception.cancel(request.sessionId);
  return reception.resend(request.sessionId, request.orcaPatientId);
}

/**
 * One staff action, from HTTP or the socket: 目視 approve/decline and take-over go to the flow (which
 * refuses a session that is not the kiosk's current one); dismiss acknowledges an alert; on a review
 * item ("oqs:<id>") take-over and dismiss resolve it in the driver's queue; orca-resend and orca-cancel
 * act on the check-in's 受付 in the receipt computer. Every attempt is audited with its outcome code.
 */
export function performAction(staff: string, request: StaffActionRequest, deps: ActionDeps): Result<void> {
  const alertId = request.alertId ?? (request.sessionId ? `session:${request.sessionId}` : undefined);
  let result: Result<void>;
  if (request.orcaPatientId !== undefined && request.type !== 'orca-resend') {
    result = fail('INPUT_INVALID', 'orcaPatientId goes only with orca-resend');
  } else if (request.type === 'orca-resend' || request.type === 'orca-cancel') {
    result = orcaAction(request, deps.reception);
  } else if (isReviewAlertId(request.alertId)) {
    result = resolveReview(deps.reviews, request.alertId, request.type, staff);
  } else if (request.type === 'dismiss') {
    result = alertId ? (deps.board.acknowledge(alertId, staff), ok(undefined)) : fail('INPUT_INVALID', 'dismiss needs sessionId or alertId');
  } else if (!request.sessionId) {
    result = fail('INPUT_INVALID', `${request.type} needs sessionId`);
  } else {
    try {
      result = deps.flow.staffAction({ type: request.type, sessionId: request.sessionId, staffId: staff });
    } catch {
      result = fail('INTERNAL');
    }
  }
  const outcome = result.ok ? 'ok' : result.error.code;
  const audited = deps.audit.record({ at: deps.clock.now(), actor: staff, action: request.type, ...(alertId ? { subject: alertId } : {}), outcome });
  if (!audited.ok) deps.logger.error({ event: 'audit-failed', action: request.type }, 'audit trail not writable');
  deps.logger.info({ event: 'staff-action', action: request.type, outcome }, 'staff action');
  deps.board.changed();
  return result;
}
