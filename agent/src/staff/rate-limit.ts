import type { Clock } from '../clock.ts';

/**
 * Login throttle: failures are counted per client address and per username within a window; once
 * either reaches the limit, logins from that address or for that name are refused until the window
 * has passed since the oldest counted failure. A success clears the username's and address's count.
 */
export interface LoginLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
}

export interface LoginLimiter {
  /** Seconds to wait, or 0 when a try is allowed now. */
  retryAfter(address: string, username: string): number;
  failed(address: string, username: string): void;
  succeeded(address: string, username: string): void;
}

export function createLoginLimiter(clock: Clock, options: LoginLimiterOptions = {}): LoginLimiter {
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const failures = new Map<string, number[]>();
  const keys = (address: string, username: string) => [`ip:${address}`, `user:${username.toLowerCase()}`];
  const recent = (key: string, now: number) => {
    const times = (failures.get(key) ?? []).filter((t) => now - t < windowMs);
    if (times.length) failures.set(key, times);
    else failures.delete(key);
    return times;
  };
  return {
    retryAfter(address, username) {
      const now = clock.now().getTime();
      let wait = 0;
      for (const key of keys(address, username)) {
        const times = recent(key, now);
        if (times.length >= maxFailures) wait = Math.max(wait, Math.ceil((times[0]! + windowMs - now) / 1000));
      }
      return wait;
    },
    failed(address, username) {
      const now = clock.now().getTime();
      // Bounded memory under a flood of distinct names: drop the oldest key first.
      if (failures.size > 10_000) failures.delete(failures.keys().next().value!);
      for (const key of keys(address, username)) failures.set(key, [...recent(key, now), now].slice(-maxFailures));
    },
    succeeded(address, username) {
      for (const key of keys(address, username)) failures.delete(key);
    },
  };
}
