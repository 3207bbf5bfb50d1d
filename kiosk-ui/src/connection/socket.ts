import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@kiosk/protocol';
import type { SocketPort } from './port.ts';

type KioskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The one socket.io client of the kiosk: same origin as the page, default path, not connected until
 * the connection starts it. Reconnects quickly because the agent is on the same machine or the LAN.
 * A kiosk on another PC sends its device token with every handshake.
 */
export function createSocketPort(options: { url?: string; deviceToken?: string } = {}): SocketPort {
  const { url, deviceToken } = options;
  const settings = { autoConnect: false, reconnectionDelay: 500, reconnectionDelayMax: 2000, ...(deviceToken ? { auth: { deviceToken } } : {}) };
  const socket: KioskSocket = url === undefined ? io(settings) : io(url, settings);
  const listen = (event: 'connect' | 'disconnect', listener: () => void) => {
    socket.on(event, listener);
    return () => void socket.off(event, listener);
  };
  return {
    connect: () => void socket.connect(),
    disconnect: () => void socket.disconnect(),
    onConnect: (listener) => listen('connect', listener),
    onDisconnect: (listener) => listen('disconnect', listener),
    onSnapshot: (listener) => {
      // Payloads are validated by the connection, so the typed listener is widened to unknown here.
      const handler = (payload: unknown) => listener(payload);
      socket.on('flow:snapshot', handler);
      return () => void socket.off('flow:snapshot', handler);
    },
    request: (event, payload, timeoutMs) =>
      (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(event, payload),
  };
}
