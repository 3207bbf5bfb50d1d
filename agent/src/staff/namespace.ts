import { agentError, StaffActionRequestSchema, type StaffClientToServerEvents, type StaffServerToClientEvents } from '@kiosk/protocol';
import type { Namespace, Socket } from 'socket.io';
import { validate } from '../transport/validate.ts';
import { answerUnknownEvents, replier } from '../transport/guard.ts';
import { performAction, type ActionDeps } from './actions.ts';
import { sessionTokenOf } from './cookies.ts';
import { checkCsrf, type StaffSession, type StaffSessions } from './sessions.ts';

/** "/staff" typed by the protocol's staff event maps, which the console uses too. */
export type StaffNamespace = Namespace<StaffClientToServerEvents, StaffServerToClientEvents>;
type StaffSocket = Socket<StaffClientToServerEvents, StaffServerToClientEvents>;

/**
 * The "/staff" namespace. A socket joins only with a live staff session cookie AND that session's
 * CSRF token in the handshake auth ({ csrfToken }): a page on another origin can neither read the
 * token nor, thanks to the Origin check, open the socket. The board goes to this namespace only.
 */
export function attachStaffNamespace(nsp: StaffNamespace, deps: ActionDeps & { sessions: StaffSessions }): () => void {
  const sessionOfSocket = new WeakMap<StaffSocket, { token: string; session: StaffSession }>();

  nsp.use((socket, next) => {
    const token = sessionTokenOf(socket.handshake.headers.cookie);
    const session = deps.sessions.get(token);
    const csrf = (socket.handshake.auth as Record<string, unknown> | undefined)?.csrfToken;
    if (!token || !session || !checkCsrf(session, csrf))
      return next(Object.assign(new Error('TRANSPORT_UNAUTHORIZED'), { data: agentError('TRANSPORT_UNAUTHORIZED') }));
    sessionOfSocket.set(socket, { token, session });
    next();
  });

  // The board is recomputed from the day's records on every change, so only while someone watches it.
  let unsubscribeBoard: (() => void) | null = null;
  const unsubscribeEnd = deps.sessions.onEnd((ended) => {
    for (const socket of nsp.sockets.values()) if (sessionOfSocket.get(socket)?.session === ended) socket.disconnect(true);
  });

  nsp.on('connection', (socket) => {
    unsubscribeBoard ??= deps.board.subscribe((board) => nsp.emit('staff:board', board));
    socket.on('disconnect', () => {
      if (nsp.sockets.size > 0) return;
      unsubscribeBoard?.();
      unsubscribeBoard = null;
    });
    socket.emit('staff:board', deps.board.board());
    // The payload and ack are typed for the console, but what arrives is whatever a client sent: both are checked.
    socket.on('staff:action', (payload: unknown, ack: unknown) => {
      const reply = replier(ack);
      const owner = sessionOfSocket.get(socket);
      // The session may have expired since the handshake: every action re-checks it.
      if (!owner || deps.sessions.get(owner.token) !== owner.session) {
        reply({ ok: false, error: agentError('TRANSPORT_UNAUTHORIZED') });
        socket.disconnect(true);
        return;
      }
      const request = validate(StaffActionRequestSchema, payload);
      if (!request.ok) return reply({ ok: false, error: request.error });
      const done = performAction(owner.session.username, request.value, deps);
      reply(done.ok ? { ok: true } : { ok: false, error: done.error });
    });
    answerUnknownEvents(socket, ['staff:action']);
  });

  return () => {
    unsubscribeBoard?.();
    unsubscribeEnd();
  };
}
