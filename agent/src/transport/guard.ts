import { agentError, type Ack } from '@kiosk/protocol';
import type { Socket } from 'socket.io';

/** A client may omit the ack callback or send garbage in its place; replying must never throw. */
export function replier(ack: unknown): (reply: Ack<unknown>) => void {
  return typeof ack === 'function' ? (reply) => (ack as (r: Ack<unknown>) => void)(reply) : () => {};
}

/**
 * The one guard of a namespace's inbound events. socket.io hands any decoded packet to the
 * listeners, so the event "name" can be a number, an object or missing altogether (`42`): everything
 * but the namespace's own events is answered with a typed error, and nothing here can throw.
 */
export function answerUnknownEvents(socket: Socket, known: readonly string[]): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && known.includes(event)) return;
    const name = typeof event === 'string' ? `"${event.slice(0, 40)}"` : `of type ${event === null ? 'null' : typeof event}`;
    replier(args[args.length - 1])({ ok: false, error: agentError('INPUT_INVALID', `Unknown event ${name}`) });
  });
}
