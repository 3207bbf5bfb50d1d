import type { Clock } from '../clock.ts';

/**
 * Login throttle: attempts are counted per client address and per username within a window, each
 * when it starts (before the password check), so attempts sent together cannot all pass the check
 * while the first ones are still hashing. Once either count reaches the limit, logins from that
 * address or for that name are refused (and not counted) until the window has passed since the
 * oldest counted attempt. A success clears the username's and address's count.
 */
export interface LoginLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
}

export interface LoginLimiter {
  /** Counts an attempt now and returns 0, or refuses it: the seconds to wait. */
  attempt(address: string, username: string): number;
  succeeded(address: string, username: string): void;
}

export function createLoginLimiter(clock: Clock, options: LoginLimiterOptions = {}): LoginLimiter {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const attempts = new Map<string, number[]>();
  const keys = (address: string, username: string) => [`ip:${address}`, `user:${username.toLowerCase()}`];
  const recent = (key: string, now: number) => {
    const times = (attempts.get(key) ?? []).filter((t) => now - t < windowMs);
    if (times.length) attempts.set(key, times);
    else attempts.delete(key);
    return times;
  };
  return {
    attempt(address, username) {
      const now = clock.now().getTime();
      let wait = 0;
      for (const key of keys(address, username)) {
        const times = recent(key, now);
        if (times.length >= maxFailures) wait = Math.max(wait, Math.ceil((times[0]! + windowMs - now) / 1000));
      }
      if (wait > 0) return wait;
      // Bounded memory under a flood of distinct names: drop the oldest key first.
      if (attempts.size > 10_000) attempts.delete(attempts.keys().next().value!);
      for (const key of keys(address, username)) attempts.set(key, [...recent(key, now), now]);
      return 0;
    },
    succeeded(address, username) {
      for (const key of keys(address, username)) attempts.delete(key);
    },
  };
}
