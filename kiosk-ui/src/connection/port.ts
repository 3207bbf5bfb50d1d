/**
 * The little the kiosk needs from a socket. The real one wraps socket.io-client (socket.ts); component
 * tests pass a fake. Requests reject when no acknowledgement arrives within the timeout.
 */
export interface SocketPort {
  connect(): void;
  disconnect(): void;
  onConnect(listener: () => void): () => void;
  onDisconnect(listener: () => void): () => void;
  onSnapshot(listener: (payload: unknown) => void): () => void;
  request(event: 'hello' | 'flow:command', payload: unknown, timeoutMs: number): Promise<unknown>;
}

/** Timers, injectable so tests control time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
