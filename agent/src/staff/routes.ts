import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { agentError, type AgentError, type ErrorCode, type Result } from '@kiosk/protocol';
import { validate } from '../transport/validate.ts';
import type { AuditTrail } from '../storage/audit.ts';
import { listDayCheckIns } from '../storage/records.ts';
import { toCsv, toExportRows } from '../records/export.ts';
import type { Clock } from '../clock.ts';
import { japanDate } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../storage/db.ts';
import type { StaffAccounts } from './accounts.ts';
import { performAction, type ActionDeps } from './actions.ts';
import { clearedSessionCookie, sessionCookie, sessionTokenOf } from './cookies.ts';
import { evaluateManualEntry, saveManualEntry, type ManualEntryDeps } from './manual.ts';
import type { LoginLimiter } from './rate-limit.ts';
import { checkCsrf, type StaffSession, type StaffSessions } from './sessions.ts';
import { isIsoDate, ManualEntrySchema, STAFF_CSRF_HEADER, StaffActionRequestSchema, StaffLoginSchema } from '@kiosk/protocol';

export interface StaffRouteDeps extends ActionDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  accounts: StaffAccounts;
  sessions: StaffSessions;
  limiter: LoginLimiter;
  audit: AuditTrail;
  manual: Omit<ManualEntryDeps, 'db' | 'clock'>;
  secureCookies: boolean;
  /** Built UI folder holding staff.html. */
  uiDir?: string;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  TRANSPORT_UNAUTHORIZED: 401,
  TRANSPORT_RATE_LIMITED: 429,
  INPUT_NOT_ALLOWED_NOW: 409,
  INPUT_STALE_SESSION: 409,
  STORAGE_UNAVAILABLE: 503,
};

function sendError(res: Response, error: AgentError): void {
  res.status(STATUS[error.code] ?? 500).json({ ok: false, error });
}

function send<T>(res: Response, result: Result<T>): void {
  if (result.ok) res.json({ ok: true, data: result.value });
  else sendError(res, result.error);
}

/**
 * Routes under /staff: the console page, login/logout, the board, actions, manual entry and export.
 * Every /staff/api route except login needs a session cookie; every POST needs the session's CSRF
 * token in the x-csrf-token header and a JSON body (a cross-site form cannot send one).
 */
export function staffRouter(deps: StaffRouteDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '16kb' }));
  const sessionOf = (res: Response) => res.locals.staffSession as StaffSession;
  const audit = (actor: string, action: Parameters<AuditTrail['record']>[0]['action'], outcome: string, subject?: string) => {
    const written = deps.audit.record({ at: deps.clock.now(), actor, action, outcome, ...(subject ? { subject } : {}) });
    if (!written.ok) deps.logger.error({ event: 'audit-failed', action }, 'audit trail not writable');
  };

  router.get('/', (_req, res) => {
    const page = deps.uiDir ? join(deps.uiDir, 'staff.html') : undefined;
    res.setHeader('Cache-Control', 'no-store');
    if (page && existsSync(page)) res.sendFile(page);
    else res.type('text/plain').send('The staff console is not built. Run "npm run build".');
  });

  router.use('/api', (req, res, next) => {
    if (req.method === 'POST' && !req.is('application/json')) return sendError(res, agentError('INPUT_INVALID', 'Expected a JSON body'));
    next();
  });

  router.post('/api/login', async (req, res) => {
    const login = validate(StaffLoginSchema, req.body);
    if (!login.ok) return sendError(res, login.error);
    const address = req.socket.remoteAddress ?? 'unknown';
    const { username, password } = login.value;
    // Counted before the (slow) password check: parallel attempts cannot all pass the throttle first.
    const wait = deps.limiter.attempt(address, username);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return sendError(res, agentError('TRANSPORT_RATE_LIMITED', 'Too many login attempts; try again later', { retryAfterSeconds: wait }));
    }
    const verified = await deps.accounts.verify(username, password);
    if (!verified.ok) {
      audit('-', 'login-refused', verified.error.code);
      return sendError(res, verified.error);
    }
    deps.limiter.succeeded(address, username);
    const { token, session } = deps.sessions.create(verified.value);
    res.setHeader('Set-Cookie', sessionCookie(token, deps.secureCookies));
    audit(session.username, 'login', 'ok');
    res.json({ ok: true, data: { username: session.username, csrfToken: session.csrfToken } });
  });

  router.use('/api', (req, res, next) => {
    const session = deps.sessions.get(sessionTokenOf(req.headers.cookie));
    if (!session) return sendError(res, agentError('TRANSPORT_UNAUTHORIZED', 'Sign in first'));
    if (req.method !== 'GET' && req.method !== 'HEAD' && !checkCsrf(session, req.get(STAFF_CSRF_HEADER))) {
      return sendError(res, agentError('TRANSPORT_UNAUTHORIZED', 'Missing or wrong CSRF token'));
    }
    res.locals.staffSession = session;
    next();
  });

  router.get('/api/session', (_req, res) => {
    const { username, csrfToken } = sessionOf(res);
    res.json({ ok: true, data: { username, csrfToken } });
  });

  router.post('/api/logout', (req, res) => {
    audit(sessionOf(res).username, 'logout', 'ok');
    deps.sessions.destroy(sessionTokenOf(req.headers.cookie));
    res.setHeader('Set-Cookie', clearedSessionCookie(deps.secureCookies));
    res.json({ ok: true });
  });

  router.get('/api/board', (_req, res) => {
    res.json({ ok: true, data: deps.board.board() });
  });

  router.post('/api/actions', (req, res) => {
    const request = validate(StaffActionRequestSchema, req.body);
    if (!request.ok) return sendError(res, request.error);
    const done = performAction(sessionOf(res).username, request.value, deps);
    send(res, done.ok ? { ok: true, value: null } : done);
  });

  const manualDeps = (): ManualEntryDeps => ({ ...deps.manual, db: deps.db, clock: deps.clock });

  router.post('/api/manual-entry/preview', (req, res) => {
    const entry = validate(ManualEntrySchema, req.body);
    if (!entry.ok) return sendError(res, entry.error);
    const { decision, insurerNumber } = evaluateManualEntry(entry.value, manualDeps());
    res.json({ ok: true, data: { decision, insurerNumber } });
  });

  router.post('/api/manual-entry', async (req, res) => {
    const entry = validate(ManualEntrySchema, req.body);
    if (!entry.ok) return sendError(res, entry.error);
    const staff = sessionOf(res).username;
    const saved = await saveManualEntry(entry.value, staff, manualDeps());
    // The patient may still be at the kiosk in that session: it shows the number, or returns to welcome.
    const live = deps.flow.snapshot().sessionId;
    if (saved.ok && entry.value.sessionId && entry.value.sessionId === live) {
      const queueNumber = saved.value.saved?.queueNumber;
      const shown = queueNumber !== undefined && deps.flow.staffAction({ type: 'completed-at-desk', sessionId: live, staffId: staff, queueNumber }).ok;
      if (!shown) performAction(staff, { type: 'take-over', sessionId: live }, deps);
    }
    audit(staff, 'manual-entry', saved.ok ? 'ok' : saved.error.code, saved.ok ? saved.value.saved?.sessionId : entry.value.sessionId);
    deps.board.changed();
    send(res, saved);
  });

  router.get('/api/export', (req, res) => {
    const asked = req.query.day;
    if (asked !== undefined && !(typeof asked === 'string' && isIsoDate(asked))) {
      return sendError(res, agentError('INPUT_INVALID', 'day must be a calendar date YYYY-MM-DD'));
    }
    const day = asked ?? japanDate(deps.clock.now());
    const format = req.query.format === 'csv' ? 'csv' : 'json';
    const rows = toExportRows(listDayCheckIns(deps.db, day));
    audit(sessionOf(res).username, 'export', 'ok', `${day}.${format}`);
    res.setHeader('Cache-Control', 'no-store');
    if (format === 'csv') {
      res.setHeader('Content-Disposition', `attachment; filename="checkins-${day}.csv"`);
      res.type('text/csv; charset=utf-8').send(toCsv(rows));
    } else {
      res.setHeader('Content-Disposition', `attachment; filename="checkins-${day}.json"`);
      res.json({ day, rows });
    }
  });

  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    deps.logger.error({ event: 'staff-route-failed', code: (error as { code?: unknown }).code ?? null }, 'staff route failed');
    sendError(res, agentError((error as { status?: number }).status === 400 ? 'INPUT_INVALID' : 'INTERNAL'));
  });
  return router;
}
