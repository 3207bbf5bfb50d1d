import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Result } from '@kiosk/protocol';
import type { Db } from '../storage/db.ts';
import { createDeviceTokenStore } from '../storage/devices.ts';

/**
 * Kiosk device tokens: needed when the agent listens beyond loopback, so that only registered kiosk
 * devices can open the kiosk socket from the network. Stored as SHA-256 (the token is 256 random
 * bits, so a plain hash suffices); the token itself is shown once, at registration.
 */
const hash = (token: string) => createHash('sha256').update(token).digest();

export interface DeviceTokens {
  register(name: string, at: Date): Result<string>;
  remove(name: string): boolean;
  list(): Array<{ name: string; createdAt: string }>;
  count(): number;
  /** The device name for a token, or undefined. */
  verify(token: unknown): string | undefined;
}

export function createDeviceTokens(db: Db): DeviceTokens {
  const stored = createDeviceTokenStore(db);
  return {
    register(name, at) {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) return fail('INPUT_INVALID', 'device name: letters, digits, ".", "_" or "-" (1-64)');
      const token = randomBytes(32).toString('base64url');
      const added = stored.insert(name, hash(token).toString('hex'), at);
      if (added === 'exists') return fail('INPUT_INVALID', 'that device name exists');
      return added === 'added' ? ok(token) : fail('STORAGE_UNAVAILABLE');
    },
    remove: (name) => stored.remove(name),
    list: () => stored.list(),
    count: () => stored.count(),
    verify(token) {
      if (typeof token !== 'string' || token.length > 100) return undefined;
      const presented = hash(token);
      return stored.hashes().find((r) => timingSafeEqual(Buffer.from(r.tokenHash, 'hex'), presented))?.name;
    },
  };
}
