import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { fail, ok, type Result } from '@kiosk/protocol';
import type { Db } from '../storage/db.ts';

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
  return {
    register(name, at) {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) return fail('INPUT_INVALID', 'device name: letters, digits, ".", "_" or "-" (1-64)');
      const token = randomBytes(32).toString('base64url');
      try {
        db.prepare('INSERT INTO security_device_tokens (name, token_hash, created_at) VALUES (?, ?, ?)').run(
          name,
          hash(token).toString('hex'),
          at.toISOString(),
        );
      } catch {
        return fail('INPUT_INVALID', 'that device name exists');
      }
      return ok(token);
    },
    remove: (name) => db.prepare('DELETE FROM security_device_tokens WHERE name = ?').run(name).changes === 1,
    list: () =>
      db.prepare('SELECT name, created_at AS createdAt FROM security_device_tokens ORDER BY name').all() as Array<{ name: string; createdAt: string }>,
    count: () => (db.prepare('SELECT COUNT(*) AS n FROM security_device_tokens').get() as { n: number }).n,
    verify(token) {
      if (typeof token !== 'string' || token.length > 100) return undefined;
      const presented = hash(token);
      const rows = db.prepare('SELECT name, token_hash FROM security_device_tokens').all() as Array<{ name: string; token_hash: string }>;
      return rows.find((r) => timingSafeEqual(Buffer.from(r.token_hash, 'hex'), presented))?.name;
    },
  };
}
