import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';

/**
 * Signed-in staff sessions, in memory: a restart signs everyone out, which is acceptable for a desk
 * and keeps no bearer secret on disk. The cookie carries a random token; the map is keyed by its
 * SHA-256 so a heap dump does not reveal usable cookies. Each session has its own CSRF token
 * (synchronizer token), returned to the page and required on every state-changing request.
 */
export interface StaffSession {
  username: string;
  csrfToken: string;
  createdAt: number;
  lastSeen: number;
}

export interface SessionOptions {
  /** Idle time after which a session ends. Default 30 minutes. */
  idleMs?: number;
  /** Absolute lifetime. Default 12 hours (one clinic day). */
  maxAgeMs?: number;
}

export interface StaffSessions {
  create(username: string): { token: string; session: StaffSession };
  /** The live session for a cookie token, refreshing its idle timer; undefined when unknown or expired. */
  get(token: string | undefined): StaffSession | undefined;
  destroy(token: string | undefined): void;
  /** Listeners learn when sessions end (logout, expiry) so sockets of that session are closed. */
  onEnd(listener: (session: StaffSession) => void): () => void;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export function checkCsrf(session: StaffSession, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createStaffSessions(clock: Clock, options: SessionOptions = {}): StaffSessions {
  const idleMs = options.idleMs ?? 30 * 60_000;
  const maxAgeMs = options.maxAgeMs ?? 12 * 3600_000;
  const sessions = new Map<string, StaffSession>();
  const listeners = new Set<(session: StaffSession) => void>();
  const end = (key: string) => {
    const session = sessions.get(key);
    if (!session) return;
    sessions.delete(key);
    for (const listener of listeners) listener(session);
  };
  return {
    create(username) {
      const token = randomBytes(32).toString('base64url');
      const now = clock.now().getTime();
      const session = { username, csrfToken: randomBytes(32).toString('base64url'), createdAt: now, lastSeen: now };
      sessions.set(digest(token), session);
      return { token, session };
    },
    get(token) {
      if (!token) return undefined;
      const key = digest(token);
      const session = sessions.get(key);
      if (!session) return undefined;
      const now = clock.now().getTime();
      if (now - session.lastSeen > idleMs || now - session.createdAt > maxAgeMs) {
        end(key);
        return undefined;
      }
      session.lastSeen = now;
      return session;
    },
    destroy(token) {
      if (token) end(digest(token));
    },
    onEnd(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
