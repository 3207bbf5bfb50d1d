import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.ts';
import { createLoginLimiter } from './rate-limit.ts';
import { checkCsrf, createStaffSessions } from './sessions.ts';
import { parseCookies, sessionCookie } from './cookies.ts';

describe('staff sessions', () => {
  it('expires after idle time and ends listeners', () => {
    const clock = fixedClock('2025-10-01T09:00:00+09:00');
    const sessions = createStaffSessions(clock, { idleMs: 60_000 });
    const ended: string[] = [];
    sessions.onEnd((s) => ended.push(s.username));
    const { token, session } = sessions.create('desk1');
    clock.advance(59_000);
    expect(sessions.get(token)).toBe(session);
    clock.advance(59_000);
    expect(sessions.get(token)).toBe(session);
    clock.advance(61_000);
    expect(sessions.get(token)).toBeUndefined();
    expect(ended).toEqual(['desk1']);
    expect(sessions.get('forged')).toBeUndefined();
  });

  it('checks the CSRF token exactly', () => {
    const { session } = createStaffSessions(fixedClock('2025-10-01T00:00:00Z')).create('a');
    expect(checkCsrf(session, session.csrfToken)).toBe(true);
    expect(checkCsrf(session, session.csrfToken.slice(1))).toBe(false);
    expect(checkCsrf(session, undefined)).toBe(false);
    expect(checkCsrf(session, ['x'])).toBe(false);
  });

  it('sets an HttpOnly SameSite=Strict cookie and parses it back', () => {
    expect(sessionCookie('t0k', false)).toBe('kiosk_staff=t0k; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('t0k', true)).toMatch(/; Secure$/);
    expect(parseCookies('a=1; kiosk_staff=t0k; bad=%E0%A4%A')).toEqual({ a: '1', kiosk_staff: 't0k' });
  });
});

describe('login rate limit', () => {
  it('locks an address or a username after 5 attempts until the window passes', () => {
    const clock = fixedClock('2025-10-01T00:00:00Z');
    const limiter = createLoginLimiter(clock, { maxFailures: 5, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) expect(limiter.attempt('10.0.0.1', 'desk1')).toBe(0);
    expect(limiter.attempt('10.0.0.1', 'desk1')).toBe(60);
    expect(limiter.attempt('10.0.0.2', 'DESK1')).toBe(60);
    expect(limiter.attempt('10.0.0.1', 'other')).toBe(60);
    expect(limiter.attempt('10.0.0.2', 'other')).toBe(0);
    clock.advance(60_001);
    expect(limiter.attempt('10.0.0.1', 'desk1')).toBe(0);
  });

  it('counts an attempt when it starts, before its outcome is known, and not a refused one', () => {
    const clock = fixedClock('2025-10-01T00:00:00Z');
    const limiter = createLoginLimiter(clock, { maxFailures: 3, windowMs: 60_000 });
    const started = Array.from({ length: 50 }, () => limiter.attempt('a', 'u'));
    expect(started.filter((wait) => wait === 0)).toHaveLength(3);
    clock.advance(30_000);
    expect(limiter.attempt('a', 'u')).toBe(30);
    clock.advance(30_001);
    expect(limiter.attempt('a', 'u')).toBe(0);
  });

  it('a success clears the count', () => {
    const limiter = createLoginLimiter(fixedClock('2025-10-01T00:00:00Z'), { maxFailures: 2 });
    limiter.attempt('a', 'u');
    limiter.succeeded('a', 'u');
    limiter.attempt('a', 'u');
    expect(limiter.attempt('a', 'u')).toBe(0);
  });
});
